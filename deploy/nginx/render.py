"""Render deploy/nginx/kotikanava.conf, for a server or as a self-contained nginx in a folder.

    python3 deploy/nginx/render.py > /etc/nginx/conf.d/kotikanava.conf  # values: environment

Standard library only: the nginx image runs it, and so do tests/deploy and benchmarks/ (they use
`standalone()`, which writes a main nginx.conf that runs unprivileged from one folder).
"""

import os
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "kotikanava.conf"
SNIPPETS = HERE / "kotikanava"
PLACEHOLDERS = (
    "KOTIKANAVA_LISTEN",
    "KOTIKANAVA_APP",
    "KOTIKANAVA_STATIC_ROOT",
    "KOTIKANAVA_MEDIA_ROOT",
    "KOTIKANAVA_NGINX_CACHE",
    "KOTIKANAVA_MEDIA_LINK_SECRET",
)
# What `standalone()` puts around the site: everything in the folder, nothing in /etc or /var.
MAIN = """\
{user}worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 10000;
    log_format kotikanava '$remote_addr "$request" $status $body_bytes_sent $request_time '
                          'upstream=$upstream_addr cache=$upstream_cache_status id=$request_id';
    access_log {folder}/access.log kotikanava;
    client_body_temp_path {folder}/temp/body;
    proxy_temp_path {folder}/temp/proxy;
    fastcgi_temp_path {folder}/temp/fastcgi;
    uwsgi_temp_path {folder}/temp/uwsgi;
    scgi_temp_path {folder}/temp/scgi;
    include kotikanava.conf;
}}
"""


def render(values: dict[str, str]) -> str:
    """The site with every ${KOTIKANAVA_*} placeholder filled; a missing value is an error."""
    missing = [name for name in PLACEHOLDERS if not values.get(name)]
    if missing:
        raise ValueError(f"no value for {', '.join(missing)}")
    return re.sub(
        r"\$\{(KOTIKANAVA_[A-Z_]+)\}",
        lambda match: values[match[1]] if match[1] in PLACEHOLDERS else match[0],
        TEMPLATE.read_text(),
    )


def install_snippets(conf_dir: Path) -> None:
    """The site's includes, beside the main nginx.conf (relative includes start there)."""
    shutil.copytree(SNIPPETS, conf_dir / "kotikanava", dirs_exist_ok=True)


def standalone(folder: Path, values: dict[str, str], workers: int = 1) -> Path:
    """A complete nginx in `folder` serving the site; returns its nginx.conf for `nginx -c`."""
    folder.mkdir(parents=True, exist_ok=True)
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "temp" / temp).mkdir(parents=True, exist_ok=True)
    values = {"KOTIKANAVA_NGINX_CACHE": str(folder / "cache"), **values}
    (folder / "kotikanava.conf").write_text(render(values))
    install_snippets(folder)
    # As root, nginx's workers would become `nobody` and lose the folder: keep them as root.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(MAIN.format(folder=folder, workers=workers, user=user))
    return main


def command(conf: Path) -> list[str]:
    """nginx in the foreground (for a supervisor or a test's process group)."""
    folder = conf.parent
    return [
        "nginx",
        "-p",
        str(folder),
        "-c",
        str(conf),
        "-e",
        str(folder / "error.log"),
        "-g",
        "daemon off;",
    ]


if __name__ == "__main__":
    try:
        sys.stdout.write(render(os.environ))
    except ValueError as error:
        sys.exit(f"render.py: {error}")
