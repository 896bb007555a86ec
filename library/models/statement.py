"""The accessibility statement (saavutettavuusseloste) and the feedback clients send through it.

Finland's Act on the Provision of Digital Services (306/2019) asks every public-sector service for
a statement that says how accessible the service is, what is not and why, when the statement was
made, how to give feedback, and how to reach the supervisory authority. The statement is an
information page (so it sits in the footer with the others) with a field for each of those parts.
"""

from django.conf import settings
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField

from library.models.content import PLAIN_FEATURES
from library.models.home import InfoPage

STATEMENT_FEATURES = [*PLAIN_FEATURES, "h3"]


class Compliance(models.TextChoices):
    FULL = "full", _("Fully compliant with the accessibility requirements")
    PARTIAL = "partial", _("Partially compliant with the accessibility requirements")
    NONE = "none", _("Not compliant with the accessibility requirements")


class AccessibilityStatementPage(InfoPage):
    """One per language home: the statement the law asks for, with a feedback form on it."""

    compliance = models.CharField(
        _("accessibility status"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
        help_text=_("How well the service meets WCAG 2.1 levels A and AA."),
    )
    non_accessible_content = RichTextField(
        _("non-accessible content"),
        features=STATEMENT_FEATURES,
        blank=True,
        help_text=_(
            "List what is not accessible and why: which WCAG criteria are not met, content "
            "outside the scope of the law, or a disproportionate burden (with its grounds). "
            "Say how the client can get the content some other way and when it will be fixed."
        ),
    )
    assessment = models.TextField(
        _("how accessibility was assessed"),
        blank=True,
        max_length=1000,
        help_text=_("For example: self-assessment by the service, or an external audit (by whom)."),
    )
    prepared_on = models.DateField(
        _("statement prepared on"), help_text=_("The date the statement was first made.")
    )
    updated_on = models.DateField(
        _("statement last updated on"),
        null=True,
        blank=True,
        help_text=_("Review the statement at least once a year and after larger changes."),
    )
    feedback_contact = RichTextField(
        _("other feedback channels"),
        features=PLAIN_FEATURES,
        blank=True,
        help_text=_(
            "Besides the form on this page: an e-mail address or phone number, and who answers. "
            "The law asks for an answer within 14 days."
        ),
    )
    supervisory_authority = RichTextField(
        _("supervisory authority"),
        features=PLAIN_FEATURES,
        help_text=_(
            "Contact details of the authority that supervises digital accessibility. From 2026 "
            "this is the Finnish Transport and Communications Agency Traficom (digital "
            "accessibility supervision); until the end of 2025 it was the Regional State "
            "Administrative Agency for Southern Finland. Check current details at "
            "saavutettavuusvaatimukset.fi."
        ),
    )

    content_panels = [
        *InfoPage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("compliance"),
                FieldPanel("non_accessible_content"),
                FieldPanel("assessment"),
                FieldPanel("prepared_on"),
                FieldPanel("updated_on"),
            ],
            heading=_("Accessibility status"),
        ),
        FieldPanel("feedback_contact"),
        FieldPanel("supervisory_authority"),
    ]
    parent_page_types = ["library.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "library/accessibility_statement_page.html"

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def get_context(self, request, *args, **kwargs):
        from library.feedback.forms import FeedbackForm

        context = super().get_context(request, *args, **kwargs)
        context["feedback_form"] = FeedbackForm()
        context["feedback_sent"] = request.GET.get("sent") == "1"
        context["feedback_max_length"] = FeedbackForm.MESSAGE_MAX_LENGTH
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from library.feedback.receive import receive_feedback

            return receive_feedback(self, request)
        return super().serve(request, *args, **kwargs)

    def render_with_form(self, request, form, status=200, rate_limited=False):
        context = self.get_context(request)
        context.update(feedback_form=form, feedback_sent=False, feedback_limited=rate_limited)
        return TemplateResponse(request, self.get_template(request), context, status=status)


class AccessibilityFeedback(models.Model):
    """A message a client sent through the statement's form; deleted after the retention time
    (KOTIKANAVA_FEEDBACK_RETENTION_DAYS) by `manage.py delete_old_feedback`."""

    statement = models.ForeignKey(
        AccessibilityStatementPage,
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=100, blank=True)
    contact = models.CharField(_("contact details"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=2000)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-received_at"]
        # Feedback comes only from clients through the form: nobody adds it in the admin.
        default_permissions = ("change", "delete", "view")

    def __str__(self):
        return self.message[:60]
