"""The admin page where a staff member makes and removes their own upload tokens."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from studio.tokens import UploadToken


class UploadTokensView(WagtailAdminTemplateMixin, TemplateView):
    """Each person sees and manages only their own tokens; a new one is shown once."""

    template_name = "studio/upload_tokens.html"
    page_title = _("Upload tokens")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("streaming.add_video"):
            messages.error(request, _("You do not have permission to upload videos."))
            return redirect("wagtailadmin_home")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        if "delete" in request.POST:
            UploadToken.objects.filter(user=request.user, pk=request.POST["delete"]).delete()
            return redirect("upload_tokens")
        _row, text = UploadToken.issue(request.user, request.POST.get("name", "")[:100])
        return self.render_to_response(self.get_context_data(new_token=text))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = UploadToken.objects.filter(user=self.request.user).order_by("-pk")
        context["endpoint"] = self.request.build_absolute_uri(reverse("videos:upload_sessions"))
        return context


# A new token is on the page: never cached.
upload_tokens = never_cache(require_admin_access(UploadTokensView.as_view()))
