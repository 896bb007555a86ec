"""The editors' view of accessibility feedback in the Wagtail admin.

Only people with the model's permissions (the editors' group, granted by a studio migration) see
the menu item and the pages. Nobody adds feedback here: it comes from clients.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from library.models import AccessibilityFeedback


class FeedbackPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


register_permission_policy(
    AccessibilityFeedback, FeedbackPermissionPolicy(AccessibilityFeedback), exact_class=True
)


class AccessibilityFeedbackViewSet(ModelViewSet):
    model = AccessibilityFeedback
    icon = "mail"
    menu_label = _("Accessibility feedback")
    menu_order = 310
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["message", "name", "contact", "language", "received_at", "handled"]
    list_filter = ["handled", "language"]
    search_fields = ["message", "name", "contact"]
    # Editors only mark feedback handled; what the client wrote stays as written.
    form_fields = ["handled"]
    inspect_view_fields = ["message", "name", "contact", "language", "received_at", "handled"]


accessibility_feedback_viewset = AccessibilityFeedbackViewSet("accessibility_feedback")
