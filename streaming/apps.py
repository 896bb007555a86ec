from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreamingConfig(AppConfig):
    name = "streaming"
    verbose_name = _("Videos and live streaming")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from streaming import permissions, signals  # noqa: F401

        permissions.register()
