"""The ingest server's nginx configuration, made from the settings.

nginx runs unprivileged with its own prefix: the module is loaded by absolute path, and the pid,
error and access logs live in the state folder, so no system folder is needed.
"""

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.urls import reverse

from streaming.conf import setting, state_dir

RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"
NAME = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class IngestConfig:
    state_dir: Path
    host: str
    port: int
    app: str
    callback_url: str
    log_level: str = "warn"


def config_from_settings(**overrides) -> IngestConfig:
    values = {
        "state_dir": state_dir() / "ingest",
        "host": setting("RTMP_HOST"),
        "port": setting("RTMP_PORT"),
        "app": setting("RTMP_APP"),
        "callback_url": setting("INGEST_CALLBACK_URL"),
    }
    return IngestConfig(**{**values, **overrides})


def render(config: IngestConfig) -> str:
    """The nginx.conf text; refuses values that could break out of a directive."""
    ipaddress.ip_address(config.host)
    if not NAME.match(config.app) or not 0 < int(config.port) < 65536:
        raise ValueError("KOTIKANAVA_RTMP_APP or KOTIKANAVA_RTMP_PORT is not usable")
    base = config.callback_url.rstrip("/")
    if not base.startswith("http://") or re.search(r"[\s;{}\"']", base):
        raise ValueError("KOTIKANAVA_INGEST_CALLBACK_URL must be a plain http:// URL")
    state_dir = str(config.state_dir)
    if re.search(r"[\"\\;{}\n]", state_dir):
        raise ValueError("the state folder's path cannot be written into nginx.conf")
    return render_to_string(
        "streaming/live/nginx.conf",
        {
            "module": RTMP_MODULE,
            "state_dir": state_dir,
            "log_level": config.log_level,
            "host": config.host,
            "port": int(config.port),
            "app": config.app,
            "callbacks": {
                "publish": base + reverse("live_ingest_publish"),
                "done": base + reverse("live_ingest_done"),
                "update": base + reverse("live_ingest_update"),
            },
        },
    )


def write(config: IngestConfig) -> Path:
    """Write nginx.conf into the state folder and return its path."""
    config.state_dir.mkdir(parents=True, exist_ok=True)
    path = config.state_dir / "nginx.conf"
    path.write_text(render(config))
    return path


def command(config: IngestConfig, nginx: str = "nginx") -> list[str]:
    """The nginx command line, in the foreground so a supervisor (honcho) manages it."""
    prefix = str(config.state_dir) + "/"
    return [
        nginx,
        "-p",
        prefix,
        "-e",
        str(config.state_dir / "error.log"),
        "-c",
        str(config.state_dir / "nginx.conf"),
        "-g",
        "daemon off;",
    ]
