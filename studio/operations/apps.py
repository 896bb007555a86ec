from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "studio.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self):
        from studio.operations import logs

        logs.follow_tasks()
