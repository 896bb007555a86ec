"""Form bases for Wagtail documents and images that refuse names with direction-changing control
characters (WAGTAILDOCS_DOCUMENT_FORM_BASE, WAGTAILIMAGES_IMAGE_FORM_BASE).

Wagtail builds the edit, multiple-upload and chooser-upload forms from these, so all of them
check the same way. Django's upload parser already drops such characters from the names of files
sent by a browser; the file check covers files handed to these forms by code.
"""

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from streaming.validators import add_validators, validate_file_name, validate_no_bidi_controls


class DocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_validators(self, ["title"], validate_no_bidi_controls)
        add_validators(self, ["file"], validate_file_name)


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_validators(self, ["title"], validate_no_bidi_controls)
        add_validators(self, ["file"], validate_file_name)
