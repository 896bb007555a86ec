"""Whether a local process has a TCP connection to a port, read from Linux's /proc.

The browser relay asks this of the packager's ffmpeg: nginx-rtmp tells nobody when a reader
joins (no `on_play` is configured, and it keeps no buffer), so the relay waits for the reader's
connection before it sends the start of the recording again.
"""

import os
from pathlib import Path

ESTABLISHED = "01"


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        names = os.listdir(fd_dir)
    except OSError:
        return inodes
    for name in names:
        try:
            target = os.readlink(fd_dir / name)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def connected_to(pid: int, port: int) -> bool:
    """True if process `pid` has an established TCP connection to `port` (any address)."""
    inodes = _socket_inodes(pid)
    if not inodes:
        return False
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) < 10:
                continue
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == ESTABLISHED and fields[9] in inodes:
                return True
    return False
