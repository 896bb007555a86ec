"""Demo accounts: an administrator, a staff member and an editor, sharing one generated password.

They belong to the project's roles (studio.roles), so they are made here, by studio's `load_demo`.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from studio import roles

DEMO_USERS = [
    # username, group, superuser
    ("admin", None, True),
    ("ohjaaja", roles.STAFF_GROUP, False),
    ("toimittaja", roles.EDITORS_GROUP, False),
]


def demo_password() -> str:
    """KOTIKANAVA_ADMIN_PASSWORD, or one generated on first run and kept in the state dir."""
    if password := os.environ.get("KOTIKANAVA_ADMIN_PASSWORD"):
        return password
    password_file = settings.STATE_DIR / "admin_password"
    if not password_file.exists():
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(secrets.token_urlsafe(12))
        password_file.chmod(0o600)
    return password_file.read_text().strip()


def ensure_demo_users() -> str:
    user_model = get_user_model()
    password = demo_password()
    for username, group_name, is_superuser in DEMO_USERS:
        if user_model.objects.filter(username=username).exists():
            continue
        user = user_model.objects.create_user(
            username=username,
            password=password,
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
    return password
