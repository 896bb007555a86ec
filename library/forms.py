"""The admin form of our page types: refuses names with direction-changing control characters."""

from wagtail.admin.forms import WagtailAdminPageForm

from streaming.validators import add_validators, validate_no_bidi_controls


class PageForm(WagtailAdminPageForm):
    """The `base_form_class` of every page type of ours."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_validators(self, ["title", "seo_title"], validate_no_bidi_controls)
