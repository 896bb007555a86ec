"""Reading settings from the environment, with the embedded defaults in one place."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def secret_key(state_dir: Path) -> str:
    """Use DJANGO_SECRET_KEY; for the embedded default, keep a generated key in the state dir.

    A key generated once and kept on disk survives restarts (sessions stay valid) without anyone
    having to invent one, and it never lands in the repository.
    """
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    key_file = state_dir / "secret_key"
    if not key_file.exists():
        state_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def next_redis_database(url: str) -> str:
    """The same Redis server's next numbered database, for a cache beside the task queues.

    A cache is cleared with FLUSHDB, which would take the queued jobs with it if they shared it.
    """
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{number + 1}"))
