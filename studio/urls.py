from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from library.offline import views as offline_views
from library.views import search
from streaming.views import ingest as ingest_views
from streaming.views.live import session_status
from studio.media import serve_media
from studio.operations.health import HealthView
from studio.throttling import throttle_password_form
from studio.token_views import upload_tokens

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # A staff member's own upload tokens (studio/tokens.py), inside the admin's look.
    path("admin/upload-tokens/", upload_tokens, name="upload_tokens"),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's own shared-password forms, the same views with wrong passwords throttled.
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        throttle_password_form(
            wagtaildocs_serve.authenticate_with_password, "document-password", "restriction_id"
        ),
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Every stored file passes an access check here (nginx or S3 then send the bytes).
urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media, name="media")]
# The offline service worker (at the root: its scope is the whole site) and the app manifest.
# Database, cache, storage, task queues, ffmpeg, ingest: JSON with Accept: application/json.
urlpatterns += [path("health/", HealthView.as_view(), name="health")]
urlpatterns += [path("sw.js", offline_views.service_worker, name="service_worker")]
urlpatterns += [path("manifest.webmanifest", offline_views.manifest, name="web_manifest")]
urlpatterns += [path("live/<uuid:public_id>/status/", session_status, name="live_status")]
# nginx-rtmp's callbacks (loopback only; exempt from the HTTPS redirect in settings).
urlpatterns += [
    path("live/ingest/publish/", ingest_views.on_publish, name="live_ingest_publish"),
    path("live/ingest/done/", ingest_views.on_publish_done, name="live_ingest_done"),
    path("live/ingest/update/", ingest_views.on_update, name="live_ingest_update"),
]

urlpatterns += i18n_patterns(
    path("search/", search, name="search"),
    path("saved/", offline_views.saved, name="saved"),
    # Live sessions' client pages and the public calendar feed (library/live/urls.py).
    path("live/", include("library.live.urls")),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        throttle_password_form(
            wagtail_views.authenticate_with_password, "page-password", "page_view_restriction_id"
        ),
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
