"""People of the test suite: members of the roles the migrations create."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "pw"


def member(username: str, group_name: str):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group_name))
    return user
