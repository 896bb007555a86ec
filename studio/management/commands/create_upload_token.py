"""``manage.py create_upload_token <username>``: a token for tus uploads, printed once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from studio.tokens import UploadToken


class Command(BaseCommand):
    help = "Create an upload token for a staff member; it is printed once and stored hashed."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for (a phone, a script)")

    def handle(self, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        if not user.has_perm("streaming.add_video"):
            raise CommandError(f"{username!r} may not upload videos.")
        _token, text = UploadToken.issue(user, name)
        self.stdout.write(text)
