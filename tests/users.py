"""People of the test suite: members of the roles the migrations create."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "pw"


def member(username: str, group_name: str):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def logged_in_in_english(user, **kwargs):
    """A test client of `user`, with the admin in English (the msgids the assertions read)."""
    from django.test import Client
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client = Client(**kwargs)
    client.force_login(user)
    return client
