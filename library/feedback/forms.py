from django import forms
from django.utils.translation import gettext_lazy as _

from library.models import AccessibilityFeedback
from streaming.validators import validate_no_bidi_controls


class FeedbackForm(forms.ModelForm):
    """Name and contact are optional: clients may give feedback anonymously."""

    MESSAGE_MAX_LENGTH = AccessibilityFeedback._meta.get_field("message").max_length

    class Meta:
        model = AccessibilityFeedback
        fields = ["name", "contact", "message"]
        labels = {
            "name": _("Your name (optional)"),
            "contact": _("Phone number or e-mail address (optional)"),
            "message": _("Your feedback"),
        }
        help_texts = {
            "contact": _("Leave this if you would like an answer."),
            "message": _("What was difficult to use, and on which page?"),
        }
        error_messages = {"message": {"required": _("Please write your feedback.")}}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact": forms.TextInput(attrs={"autocomplete": "email"}),
            "message": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "contact"):
            self.fields[name].validators.append(validate_no_bidi_controls)
