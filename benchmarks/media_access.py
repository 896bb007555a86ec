"""What the media access check costs per segment request, on loopback.

Starts the app (Django's server, SQLite, a temporary state folder) with one public and one
private exercise page, each showing a video, and requests one segment many times:

- unchecked: the same file through the same delivery code with no access check (the floor);
- public page: anonymous viewer, the check finds a live page without restrictions;
- private page: a signed-in member of the page's group (session lookup + restrictions);
- behind nginx: the public case answered with X-Accel-Redirect (no bytes from the app).

    .venv/bin/python benchmarks/media_access.py [--requests 400]

Prints median and p95 latency per case, and the check's added median against the floor.
"""

import argparse
import http.client
import os
import statistics
import tempfile
import time
from pathlib import Path

from common import ROOT, serve, table

SEGMENT = "v234/seg_001.m4s"
SEGMENT_BYTES = 60_000  # about one 2 s segment of the lowest rung


def setup_data(state: Path) -> dict:
    """Migrate a fresh database and create the pages, videos, files and a member's session."""
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from wagtail.models import PageViewRestriction

    from streaming.models import Video, VideoStatus
    from tests.library.tree import exercise_showing, exercise_topic

    call_command("migrate", verbosity=0)
    topic = exercise_topic()

    paths = {}
    group = Group.objects.create(name="Päivätoiminta")
    for slug in ("public", "private"):
        video = Video.objects.create(title=slug, status=VideoStatus.READY)
        prefix = f"videos/{video.pk}/1/"
        segment = state / "media" / prefix / SEGMENT
        segment.parent.mkdir(parents=True)
        segment.write_bytes(os.urandom(SEGMENT_BYTES))
        video.output_prefix = prefix
        video.output_manifest = {"media_prefix": prefix, "files": [prefix + SEGMENT]}
        video.save()
        page = exercise_showing(video, topic, slug)
        if slug == "private":
            restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
            restriction.groups.add(group)
        paths[slug] = f"/media/{prefix}{SEGMENT}"

    member = group.user_set.create(username="jasen")
    session = SessionStore()
    session["_auth_user_id"] = str(member.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = member.get_session_auth_hash()
    session.create()
    paths["cookie"] = f"sessionid={session.session_key}"
    paths["unchecked"] = paths["public"].replace("/media/", "/unchecked-media/")
    return paths


def timed_requests(port: int, path: str, count: int, cookie: str = "") -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Cookie": cookie} if cookie else {}
    times = []
    for _ in range(count):
        start = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        times.append(time.perf_counter() - start)
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.close()
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="media-access-") as tmp:
        state = Path(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.media_access_settings",
            "KOTIKANAVA_STATE_DIR": str(state),
            "KOTIKANAVA_MEDIA_ROOT": str(state / "media"),
            "PYTHONPATH": str(ROOT),
        }
        os.environ.update(env)
        paths = setup_data(state)
        cases = [
            ("unchecked (floor)", paths["unchecked"], "", {}),
            ("public page", paths["public"], "", {}),
            ("private page, group member", paths["private"], paths["cookie"], {}),
            ("public page, X-Accel-Redirect", paths["public"], "", {"X": "/protected-media/"}),
        ]
        rows, floor = [], None
        for name, path, cookie, accel in cases:
            server_env = {**env, "KOTIKANAVA_MEDIA_ACCEL_PREFIX": accel.get("X", "")}
            server = serve(server_env, args.port, threading=False)
            try:
                timed_requests(args.port, path, 20, cookie)  # warm up
                times = sorted(timed_requests(args.port, path, args.requests, cookie))
            finally:
                server.terminate()
                server.wait()
            median = statistics.median(times) * 1000
            p95 = times[int(len(times) * 0.95) - 1] * 1000
            floor = floor if floor is not None else median
            rows.append([name, f"{median:.2f}", f"{p95:.2f}", f"{median - floor:+.2f}"])
        print(f"{args.requests} requests per case, one connection, {SEGMENT_BYTES} B segment")
        print(table(["case", "median ms", "p95 ms", "vs floor ms"], rows))


if __name__ == "__main__":
    main()
