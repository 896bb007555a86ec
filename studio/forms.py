"""Admin form bases that refuse names with direction-changing control characters.

Pages of our types use PageForm (their base_form_class). Documents and images are in
studio/collection_forms.py: Wagtail's collection forms need the models loaded, pages' forms don't.
"""

from wagtail.admin.forms import WagtailAdminPageForm

from studio.validators import validate_no_bidi_controls


def add_validators(form, names, validator):
    for name in names:
        if name in form.fields:
            form.fields[name].validators.append(validator)


class PageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_validators(self, ["title", "seo_title"], validate_no_bidi_controls)
