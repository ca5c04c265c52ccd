from io import StringIO

import pytest
from django.core.management import call_command

from governance.models import User
from villages.models import PartyBranch, Township, Village

pytestmark = pytest.mark.django_db


def _counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"governance", "villages", "cadres", "supervision", "decisions"}
    }


def test_seed_demo_loads_kangding_attributed_and_running_it_twice_changes_nothing(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first

    assert Township.objects.filter(valid_to__isnull=True).count() == 17
    assert Township.objects.filter(valid_to__isnull=False).count() == 7
    assert Village.objects.count() == 234
    assert PartyBranch.objects.filter(kind="village").count() == 234
    assert set(User.objects.values_list("username", flat=True)) >= {
        "admin",
        "county",
        "township",
        "township2",
    }
    township, township2 = User.objects.get(username="township"), User.objects.get(username="township2")
    assert township.township != township2.township
    assert township.check_password("demo-pass-123")
    # Demo rows are attributed in history, as a request would be.
    assert Village.objects.first().history.first().history_user.username == "admin"
