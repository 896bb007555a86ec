"""Content-Security-Policy: a strict policy for client pages, a looser one for the admin.

The policies themselves are in settings (CONTENT_SECURITY_POLICY, KOTIKANAVA_ADMIN_CSP).
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy chosen by path.

    Wagtail's and Django's admin views are not ours to decorate one by one, and they need inline
    styles (and Wagtail some inline script) that client pages must never get.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin = request.path_info.startswith(ADMIN_PREFIXES)
        if admin and not report_only and parts.config is None:
            parts.config = settings.KOTIKANAVA_ADMIN_CSP
        return parts


def storage_origins(options: dict) -> list[str]:
    """Where S3 storage hands out (signed) URLs from, as CSP sources; [] for local files.

    The endpoint serves both path-style (endpoint/bucket/key) and virtual-hosted
    (bucket.endpoint/key) URLs; boto3 picks one. Private media's signed URLs always come from
    the endpoint (`MediaS3Storage.signed_url`), so a custom domain (a CDN) is added, not swapped.
    """
    bucket = options.get("bucket_name")
    if not bucket:
        return []
    cdn = [f"https://{domain.strip('/')}"] if (domain := options.get("custom_domain")) else []
    endpoint = options.get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        scheme, host = parts.scheme or "https", parts.netloc
    else:
        region = options.get("region_name")
        scheme, host = "https", f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
    return [*cdn, f"{scheme}://{host}", f"{scheme}://{bucket}.{host}"]
