"""The role groups hold exactly the permissions of the roles table."""

import pytest
from django.contrib.auth.models import Group

from claims.roles import GROUP_PERMISSIONS, ensure_role_groups

pytestmark = pytest.mark.django_db


def _perms(name):
    group = Group.objects.get(name=name)
    return {(p.content_type.app_label, p.codename) for p in group.permissions.all()}


@pytest.mark.parametrize("name", sorted(GROUP_PERMISSIONS))
def test_data_migration_created_each_group_with_its_permissions(name):
    assert _perms(name) == set(GROUP_PERMISSIONS[name])


def test_no_role_group_may_delete():
    for name in GROUP_PERMISSIONS:
        assert not any(codename.startswith("delete_") for _, codename in GROUP_PERMISSIONS[name])


def test_ensure_role_groups_recreates_flushed_groups():
    Group.objects.all().delete()
    ensure_role_groups()
    for name in GROUP_PERMISSIONS:
        assert _perms(name) == set(GROUP_PERMISSIONS[name])
