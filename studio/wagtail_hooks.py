"""Admin glue for staff: the next step in front, and words Wagtail leaves in English."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import pgettext
from wagtail import hooks

from studio import admin_counts, approval_notice

admin_counts.install()

PUBLISH = "action-publish"
SUBMIT = "action-submit"


@hooks.register("construct_page_action_menu")
def lead_with_the_next_step(menu_items, request, context):
    """Wagtail leads with "Save draft" and tucks the workflow step into the dropdown. Staff, who
    cannot publish, next send the page for review: make that their visible button. Editors keep
    Wagtail's order (saving a draft must never publish by accident)."""
    names = [item.name for item in menu_items]
    if SUBMIT in names and PUBLISH not in names:
        menu_items.insert(0, menu_items.pop(names.index(SUBMIT)))


@hooks.register("insert_global_admin_js")
def translate_datetimepicker_button():
    return format_html(
        '<script src="{}" data-save-selected-label="{}" defer></script>',
        static("studio/js/datetimepicker_labels.js"),
        pgettext("date-time picker button", "Save selected"),
    )


@hooks.register("construct_main_menu")
def tell_that_an_approval_published_the_page(request, menu_items):
    """Every full admin page builds the menu before it shows its messages: the place to tell
    an editor that the page they approved is now published (studio.approval_notice)."""
    approval_notice.tell_about_published_approvals(request)
