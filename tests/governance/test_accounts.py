import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from governance.models import User
from governance.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_township_staff_must_have_a_township(county):
    user = User(username="x", role=Role.TOWNSHIP_STAFF, county=county)
    with pytest.raises(ValidationError, match="乡镇工作人员须指定所属乡镇"):
        user.full_clean()


def test_the_database_refuses_a_county_official_without_a_county():
    with pytest.raises(IntegrityError):
        User.objects.create(username="y", role=Role.COUNTY_OFFICIAL)


def test_createsuperuser_makes_an_admin_role():
    user = User.objects.create_superuser("boss", "boss@example.org", "pw-long-enough-1")
    assert user.role == Role.ADMIN


def test_an_admin_creates_a_township_user_in_the_django_admin(admin_client_, township):
    response = admin_client_.post(
        reverse("admin:governance_user_add"),
        {
            "username": "newstaff",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
            "role": "township",
            "township": township.pk,
            "county": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="newstaff").township == township


def test_the_admin_form_explains_a_role_without_jurisdiction(admin_client_, county):
    response = admin_client_.post(
        reverse("admin:governance_user_add"),
        {
            "username": "bad",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
            "role": "township",
            "township": "",
            "county": county.pk,
        },
    )
    assert response.status_code == 200
    assert "乡镇工作人员须指定所属乡镇" in response.content.decode()
    assert not User.objects.filter(username="bad").exists()


def test_changes_to_a_user_are_kept_in_history_without_the_password(admin_user, township):
    user = UserFactory(township=township)
    user.first_name = "改名"
    user.save()
    assert user.history.count() >= 2
    assert not hasattr(user.history.first(), "password")


def test_township_staff_cannot_open_the_django_admin(staff_client):
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 302
