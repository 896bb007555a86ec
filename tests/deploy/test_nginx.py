"""deploy/nginx/kotikanava.conf in real nginx in front of the app, checked as a client sees it."""

import gzip
import http.client
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.core.signals import request_started

from deploy.nginx import render
from streaming.models import Video, VideoStatus
from tests.helpers import free_port, stop_group, wait_for
from tests.library.tree import exercise_showing, exercise_topic

ROOT = Path(__file__).resolve().parents[2]
SECRET = "nginx-test-secret"
SEGMENTS = 12
SEGMENT = bytes(range(256)) * 40  # 10 KiB


def values(tmp_path: Path, app_port: int, media_root: Path) -> dict:
    return {
        "KOTIKANAVA_LISTEN": f"127.0.0.1:{free_port()}",
        "KOTIKANAVA_APP": f"127.0.0.1:{app_port}",
        "KOTIKANAVA_STATIC_ROOT": str(ROOT / "static"),
        "KOTIKANAVA_MEDIA_ROOT": str(media_root),
        "KOTIKANAVA_MEDIA_LINK_SECRET": SECRET,
    }


def test_the_rendered_config_passes_nginx_t(tmp_path):
    site = values(tmp_path, free_port(), tmp_path / "media")
    conf = render.standalone(tmp_path / "nginx", site)
    result = subprocess.run(
        [*render.command(conf)[:-2], "-t"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


class Nginx:
    """nginx on a free port in front of the live server, and the app's own view of requests."""

    def __init__(self, tmp_path: Path, app_port: int, media_root: Path):
        site = values(tmp_path, app_port, media_root)
        self.port = int(site["KOTIKANAVA_LISTEN"].rsplit(":", 1)[1])
        conf = render.standalone(tmp_path / "nginx", site)
        self.process = subprocess.Popen(render.command(conf), start_new_session=True)
        self.app_paths: list[str] = []
        self.request_ids: list[str] = []
        request_started.connect(self._seen, dispatch_uid="tests.deploy.app_paths")
        wait_for(lambda: self.get("/static/nothing").status, 10, "nginx", (OSError,))

    def _seen(self, sender, environ, **kwargs):
        self.app_paths.append(environ["PATH_INFO"])
        self.request_ids.append(environ.get("HTTP_X_REQUEST_ID", ""))

    def get(self, path: str, headers: dict | None = None, source: str = "127.0.0.1"):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(source, 0)
        )
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response

    def stop(self):
        request_started.disconnect(dispatch_uid="tests.deploy.app_paths")
        stop_group(self.process)


@pytest.fixture
def nginx(migrated_db, live_server, settings, tmp_path):
    settings.KOTIKANAVA_MEDIA_ACCEL_PREFIX = "/_media_checked/"
    settings.KOTIKANAVA_MEDIA_LINK_SECRET = SECRET
    settings.KOTIKANAVA_TRUSTED_PROXIES = 1
    app_port = int(live_server.url.rsplit(":", 1)[1])
    server = Nginx(tmp_path, app_port, Path(settings.MEDIA_ROOT))
    yield server
    server.stop()


def stored_video(media_root: Path, title: str) -> Video:
    """A published version on disk: a variant playlist of 2 s segments (bytes, not video)."""
    video = Video.objects.create(title=title, status=VideoStatus.READY)
    prefix = f"videos/{video.pk}/1/"
    folder = media_root / prefix / "v234"
    folder.mkdir(parents=True)
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:2", "#EXT-X-PLAYLIST-TYPE:VOD"]
    lines.append('#EXT-X-MAP:URI="init.mp4"')
    (folder / "init.mp4").write_bytes(SEGMENT[:800])
    for number in range(1, SEGMENTS + 1):
        (folder / f"seg_{number:03d}.m4s").write_bytes(SEGMENT)
        lines += ["#EXTINF:2.000,", f"seg_{number:03d}.m4s"]
    (folder / "index.m3u8").write_text("\n".join([*lines, "#EXT-X-ENDLIST", ""]))
    cues = [
        f"{n // 60:02d}:{n % 60:02d}.000 --> {n // 60:02d}:{n % 60:02d}.900\nOsa {n}\n"
        for n in range(40)
    ]
    (media_root / prefix / "fi.vtt").write_text("WEBVTT\n\n" + "\n".join(cues))
    video.output_prefix = prefix
    video.output_manifest = {"media_prefix": prefix, "files": []}
    video.save()
    return video


@pytest.fixture
def videos(settings, nginx):
    topic = exercise_topic()
    media_root = Path(settings.MEDIA_ROOT)
    public, private = stored_video(media_root, "Julkinen"), stored_video(media_root, "Ryhmälle")
    exercise_showing(public, topic, "julkinen")
    page = exercise_showing(private, topic, "ryhmalle")
    page.view_restrictions.create(restriction_type="login")
    return {"public": public, "private": private}


@pytest.mark.django_db(transaction=True)
def test_static_files_are_sent_by_nginx_gzipped_and_hashed_names_kept_for_a_year(nginx):
    manifest = json.loads((ROOT / "static" / "staticfiles.json").read_text())["paths"]
    hashed = next(name for source, name in manifest.items() if source.endswith(".css"))
    response = nginx.get(f"/static/{hashed}", {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/css"
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert gzip.decompress(response.body) == (ROOT / "static" / hashed).read_bytes()
    assert not any(path.startswith("/static/") for path in nginx.app_paths)


@pytest.mark.django_db(transaction=True)
def test_a_checked_segment_comes_from_nginx_with_its_type_cache_and_ranges(nginx, videos):
    segment = f"/media/{videos['public'].output_prefix}v234/seg_001.m4s"
    response = nginx.get(segment)
    assert response.status == 200
    assert response.getheader("Content-Type") == "video/iso.segment"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.body == SEGMENT
    assert response.getheader("X-Accel-Redirect") is None
    partial = nginx.get(segment, {"Range": "bytes=100-199"})
    assert partial.status == 206
    assert partial.getheader("Content-Range") == f"bytes 100-199/{len(SEGMENT)}"
    assert partial.body == SEGMENT[100:200]
    assert nginx.app_paths.count(segment) == 2  # asked the app, which only checked


@pytest.mark.django_db(transaction=True)
def test_captions_are_sent_as_webvtt_gzipped(nginx, videos):
    response = nginx.get(
        f"/media/{videos['public'].output_prefix}fi.vtt", {"Accept-Encoding": "gzip"}
    )
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/vtt; charset=utf-8"
    assert response.getheader("Content-Encoding") == "gzip"
    text = gzip.decompress(response.body).decode()
    assert text.startswith("WEBVTT\n\n00:00.000 --> 00:00.900\nOsa 0\n")
    assert text.count(" --> ") == 40


@pytest.mark.django_db(transaction=True)
def test_a_public_playlist_is_gzipped_and_its_segments_bypass_the_app(nginx, videos):
    playlist = f"/media/{videos['public'].output_prefix}v234/index.m3u8"
    response = nginx.get(playlist, {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/vnd.apple.mpegurl"
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Cache-Control") == "public, max-age=60"
    text = gzip.decompress(response.body).decode()
    links = re.findall(r"^/media/\S+\.m4s\?md5=\S+$", text, re.MULTILINE)
    assert len(links) == SEGMENTS
    assert re.search(r'#EXT-X-MAP:URI="/media/\S+/init\.mp4\?md5=', text)

    before = list(nginx.app_paths)
    for link in links:
        segment = nginx.get(link)
        assert segment.status == 200
        assert segment.getheader("Content-Type") == "video/iso.segment"
        assert segment.getheader("Cache-Control") == "public, max-age=31536000, immutable"
        assert segment.body == SEGMENT
    assert nginx.get(links[0], {"Range": "bytes=0-9"}).status == 206
    # Viewers after the first get the playlist from nginx's cache.
    assert nginx.get(playlist).getheader("X-Cache-Status") == "HIT"
    assert nginx.app_paths == before


@pytest.mark.django_db(transaction=True)
def test_a_private_videos_files_are_refused_to_an_anonymous_viewer(nginx, videos):
    prefix = f"/media/{videos['private'].output_prefix}v234/"
    assert nginx.get(prefix + "seg_001.m4s").status == 404
    assert nginx.get(prefix + "index.m3u8").status == 404
    forged = nginx.get(prefix + "seg_001.m4s?md5=AAAAAAAAAAAAAAAAAAAAAA&expires=4102444800")
    assert forged.status == 404
    assert nginx.app_paths.count(prefix + "seg_001.m4s") == 2  # the forged link was checked too
    # A refusal is never kept for the next viewer.
    assert nginx.get(prefix + "index.m3u8").getheader("X-Cache-Status") != "HIT"


@pytest.mark.django_db(transaction=True)
def test_the_app_sees_the_clients_address_and_nginxs_request_id_not_forged_ones(nginx):
    from axes.models import AccessAttempt

    login = nginx.get("/admin/login/", source="127.0.0.2")
    assert login.status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', login.body)[1].decode()
    cookies = "; ".join(
        header.split(";", 1)[0] for header in login.headers.get_all("Set-Cookie") or []
    )
    connection = http.client.HTTPConnection(
        "127.0.0.1", nginx.port, timeout=10, source_address=("127.0.0.2", 0)
    )
    body = f"csrfmiddlewaretoken={token}&username=kuka&password=vaarin"
    connection.request(
        "POST",
        "/admin/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookies,
            "Referer": f"http://127.0.0.1:{nginx.port}/admin/login/",
            "X-Forwarded-For": "203.0.113.9",
            "X-Request-ID": "forged-id",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200  # the form again, with its error
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.2"]
    assert all(re.fullmatch("[0-9a-f]{32}", request_id) for request_id in nginx.request_ids)
    assert len(set(nginx.request_ids)) == len(nginx.request_ids) == 2


@pytest.mark.django_db(transaction=True)
def test_anonymous_page_views_share_a_short_copy_and_signed_in_ones_never_do(nginx):
    topic = exercise_topic()
    first = nginx.get(topic.url)
    assert first.status == 200
    assert first.getheader("X-Cache-Status") == "MISS"
    rendered = nginx.app_paths.count(topic.url)
    again = nginx.get(topic.url)
    assert again.getheader("X-Cache-Status") == "HIT"
    assert again.body == first.body
    assert nginx.app_paths.count(topic.url) == rendered
    # Anyone with a cookie (a session, a CSRF token) gets the page from the app.
    signed_in = nginx.get(topic.url, {"Cookie": "sessionid=abc"})
    assert signed_in.getheader("X-Cache-Status") == "BYPASS"
    assert nginx.app_paths.count(topic.url) == rendered + 1
    # The admin's login page sets a CSRF cookie: never shared.
    assert nginx.get("/admin/login/").status == 200
    assert nginx.get("/admin/login/").getheader("X-Cache-Status") != "HIT"


def test_a_public_sessions_status_is_shared_a_second_and_a_members_only_one_never(nginx):
    from django.utils import timezone

    from streaming.models import LiveSession, LiveVisibility

    def make(title, visibility):
        return LiveSession.objects.create(
            title=title, starts_at=timezone.now(), planned_minutes=30, visibility=visibility
        )

    public = make("Kahvila", LiveVisibility.PUBLIC)
    members = make("Ryhmä", LiveVisibility.SIGNED_IN)
    cookies = [{}, {"Cookie": "csrftoken=a"}, {"Cookie": "csrftoken=b; sessionid=x"}]

    nginx.app_paths.clear()
    answers = [nginx.get(f"/live/{public.public_id}/status/", headers) for headers in cookies]
    assert [a.status for a in answers] == [200, 200, 200]
    assert {json.loads(a.body)["state"] for a in answers} == {"scheduled"}
    assert [a.getheader("X-Cache-Status") for a in answers] == ["MISS", "HIT", "HIT"]
    assert nginx.app_paths == [f"/live/{public.public_id}/status/"]

    path = f"/live/{members.public_id}/status/"
    answers = [nginx.get(path, headers) for headers in cookies]
    assert all(a.getheader("X-Cache-Status") != "HIT" for a in answers)
