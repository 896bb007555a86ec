"""Who may watch a live session, and fetch its live files.

A session's audience is its own visibility setting: everyone, or signed-in users only. Viewers
get the live files only while it is live; the recording made of it afterwards is a `Video` and
follows the pages that show it. Staff who manage live sessions always get the files.
"""

from streaming.models import LiveSession, LiveState, LiveVisibility


def may_see(request, session: LiveSession) -> bool:
    """The session's page, its status and its place in listings and the calendar."""
    if session.visibility == LiveVisibility.PUBLIC:
        return True
    return bool(request.user.is_authenticated and request.user.is_active) or may_manage(
        request.user
    )


def may_watch_live(request, session: LiveSession) -> bool:
    """Asked for every live segment: the viewers' cheap test first, staff permissions after."""
    if session.state == LiveState.LIVE and may_see(request, session):
        return True
    return may_manage(request.user)


def may_manage(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    from streaming.wagtail_hooks import live_session_viewset

    policy = live_session_viewset.permission_policy
    return policy.user_has_any_permission(user, ["add", "change", "delete", "view"])


def visible_sessions(request, queryset):
    """The sessions of `queryset` this request may see listed."""
    if request.user.is_authenticated and request.user.is_active:
        return queryset
    return queryset.filter(visibility=LiveVisibility.PUBLIC)
