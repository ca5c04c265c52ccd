"""A form sent twice (double click, resend on a weak link) is carried out once (governance.submissions).

The template test reads every template of the project, so a form added by a later app without the
token fails here.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from decisions import services as decision_services
from decisions.models import Matter
from governance.models import Submission
from governance.submissions import TOKEN_FIELD

NEW_MATTER = reverse("decisions:matter_create")


def _matter_form(village, token, **changes):
    data = {
        "village": village.code,
        "title": "村道硬化工程",
        "category": "project",
        "amount": "860000",
        "description": "硬化村道3公里。",
        "planned_completion": "2026-10-31",
        TOKEN_FIELD: str(token),
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_the_new_matter_form_carries_a_fresh_token_each_time(staff_client):
    tokens = [
        re.search(
            rf'name="{TOKEN_FIELD}" value="([0-9a-f-]+)"', staff_client.get(NEW_MATTER).content.decode()
        )
        for _ in range(2)
    ]
    assert all(tokens) and tokens[0].group(1) != tokens[1].group(1)


@pytest.mark.django_db
def test_a_matter_sent_twice_is_created_once_and_the_second_lands_on_it(staff_client, village):
    token = uuid.uuid4()
    first = staff_client.post(NEW_MATTER, _matter_form(village, token))
    second = staff_client.post(NEW_MATTER, _matter_form(village, token), follow=True)
    assert Matter.objects.count() == 1
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first.url
    assert "这次提交已经保存过" in second.content.decode()


@pytest.mark.django_db
def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(staff_client, village):
    token = uuid.uuid4()
    refused = staff_client.post(NEW_MATTER, _matter_form(village, token, title=""))
    assert refused.status_code == 400 and not Matter.objects.exists()
    assert str(token) in refused.content.decode()  # the form comes back with its token
    assert not Submission.objects.exists()  # nothing of the refused request was kept
    corrected = staff_client.post(NEW_MATTER, _matter_form(village, token))
    assert corrected.status_code == 302 and Matter.objects.count() == 1


@pytest.mark.django_db
def test_another_users_token_is_not_replayed_to_them(staff_client, village, staff):
    from tests.factories import UserFactory

    token = uuid.uuid4()
    staff_client.post(NEW_MATTER, _matter_form(village, token))
    colleague = Client()
    colleague.force_login(UserFactory(township=village.township))
    response = colleague.post(NEW_MATTER, _matter_form(village, token, title="另一个事项"))
    # Never answered with someone else's result: the request runs as its own.
    assert response.status_code == 302
    assert response.url == reverse(
        "decisions:matter_detail", args=[Matter.objects.get(title="另一个事项").public_id]
    )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sends_of_one_form_create_one_matter(village, staff, monkeypatch):
    """The double click that arrives while the first is still being saved waits for it, then is sent
    to the same matter."""
    inside = threading.Event()
    real_create = decision_services.matter_create

    def slow_create(**kwargs):
        inside.set()
        time.sleep(0.5)  # the first request holds its claim, uncommitted, while the second arrives
        return real_create(**kwargs)

    monkeypatch.setattr(decision_services, "matter_create", slow_create)
    token = uuid.uuid4()
    responses = {}

    def send(name):
        client = Client()
        client.force_login(staff)
        try:
            responses[name] = client.post(NEW_MATTER, _matter_form(village, token))
        finally:
            connection.close()  # this thread's own connection

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=send, args=("second",))
    second.start()
    first.join(20)
    second.join(20)
    assert Matter.objects.count() == 1
    assert responses["first"].status_code == responses["second"].status_code == 302
    assert responses["first"].url == responses["second"].url


# ---------------------------------------------------------------- every form, found automatically

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
# Forms that create or change nothing the token protects: signing in and out, the language switch.
EXEMPT = ("registration/", "base.html")


def test_every_post_form_in_every_template_carries_a_submission_token():
    missing = []
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(directory).rglob("*.html"):
            relative = path.relative_to(directory).as_posix()
            if relative.startswith(EXEMPT):
                continue
            for form in FORM.findall(path.read_text()):
                opening = form.split(">", 1)[0].lower()
                if 'method="post"' in opening and "{% submission_token %}" not in form:
                    missing.append(f"{relative}: {opening[:80]}")
    assert missing == [], "POST forms without {% submission_token %} (see governance.submissions)"
