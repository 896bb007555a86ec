"""Login throttling (django-axes) for every form that takes a password.

Staff logins (Wagtail admin, Django admin, the login of login-only pages) go through Django's
authenticate(), which axes watches. Wagtail's page and document password forms check a shared
password themselves, so `throttle_password_form` feeds them into the same axes records: one
store of attempts, one lockout page, and `manage.py axes_reset` lifts either kind.
"""

from functools import wraps

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials
from django.conf import settings
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check for every authenticate() that comes with a request.

    Every login form passes the request. A call without one comes from code, not from a visitor
    (Django's test client login is one); axes would raise an error there, and there is no client
    to throttle, so such a call goes on to the next backend unchecked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """A real page that says what happened and when to try again (HTTP 429 with Retry-After)."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    # Rendered now: axes' middleware swaps this in after the view, past template rendering.
    response = render(
        request, "lockout.html", {"minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def throttle_password_form(view, kind: str, restriction_kwarg: str):
    """Count wrong passwords sent to one of Wagtail's shared-password forms.

    Each restriction is its own "username" (e.g. "page-password:12"; no real username can hold a
    colon), so guesses at one page lock only that page for that address. The wrapped view answers
    a right password with a redirect and a wrong one with the form again.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST" or not settings.AXES_ENABLED:
            return view(request, *args, **kwargs)
        name = f"{kind}:{kwargs[restriction_kwarg]}"
        credentials = get_credentials(name)
        if not AxesProxyHandler.is_allowed(request, credentials):
            return lockout_response(request, credentials=credentials)
        response = view(request, *args, **kwargs)
        if 300 <= response.status_code < 400:
            if settings.AXES_RESET_ON_SUCCESS:
                AxesProxyHandler.reset_attempts(ip_address=request.axes_ip_address, username=name)
        else:
            AxesProxyHandler.user_login_failed(
                sender=throttle_password_form, credentials=credentials, request=request
            )
            if request.axes_locked_out:
                return lockout_response(request, credentials=credentials)
        return response

    return wrapper
