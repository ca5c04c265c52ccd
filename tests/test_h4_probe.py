import pytest
from io import StringIO
from django.core.management import call_command
from django.test import Client
from governance.models import User
from cadres.models import Development
pytestmark = [pytest.mark.django_db]

def test_probe(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "x-demo-pass-123")
    call_command("seed_demo", stdout=StringIO())
    c = Client(raise_request_exception=False)
    c.force_login(User.objects.get(username="township"))
    for url in ["/supervision/completeness/?period=0000-01", "/supervision/completeness/?period=9999-12", "/supervision/completeness/?period=9999",
                "/supervision/new/?period=9999-12", "/supervision/new/?period=0000-Q1&village=513301101201", "/supervision/?period=0000-01",
                "/supervision/grid/?period=9999-12", "/supervision/grid/513301101000/9999/12/", "/supervision/?village=%00",
                "/supervision/new/?village=%00", "/cadres/?name=%00"]:
        r = c.get(url); print(url, r.status_code, r.exc_info and repr(r.exc_info[1]))
    r = c.post("/supervision/new/", {"village": "513301101201", "period": "0000-01"}); print("post new 0000-01", r.status_code, r.exc_info and repr(r.exc_info[1]))
    r = c.post("/supervision/new/", {"village": "513301101201", "period": "9999"}); print("post new 9999", r.status_code, r.exc_info and repr(r.exc_info[1]))
    r = c.post("/supervision/exceptions/513301101201/0000-01/", {"reason": "x"}); print("exc", r.status_code)
    cc = Client(raise_request_exception=False); cc.force_login(User.objects.get(username="county"))
    r = cc.post("/supervision/exceptions/513301101201/0000-01/", {"reason": "x"}); print("exc county 0000", r.status_code, r.exc_info and repr(r.exc_info[1]))
    r = cc.post("/supervision/exceptions/513301101201/9999-12/", {"reason": "x"}); print("exc county 9999", r.status_code, r.exc_info and repr(r.exc_info[1]))
    # development far future
    from cadres.models import Person
    from cadres.selectors import people_visible_to
    u = User.objects.get(username="township")
    p = people_visible_to(u).first()
    for d in ["9999-12-31", "9999-12-01", "9990-01-01"]:
        r = c.post("/cadres/development/new/", {"person": p.public_id, "village": p.home_village.code, "applied_on": d})
        print("dev", d, r.status_code, r.get("Location"), r.exc_info and repr(r.exc_info[1]))
        if r.status_code == 302:
            r2 = c.get(r["Location"]); print(" detail", r2.status_code, r2.exc_info and repr(r2.exc_info[1]))
            r3 = c.post(r["Location"] + "talk/", {"talk-talked_on": d}); print(" talk", r3.status_code, r3.exc_info and repr(r3.exc_info[1]))
            r3 = c.post(r["Location"] + "activist/", {"activist-on": d}); print(" activist", r3.status_code, r3.exc_info and repr(r3.exc_info[1]))
    for form, data in [("/cadres/posts/new/", {"position": "secretary", "start_date": "9999-12-31"}),
                       ("/cadres/reserves/new/", {"plan_year": "2026", "recommended_on": "9999-12-31"}),
                       ("/cadres/evaluations/new/", {"year": "2026", "performance": "excellent", "integrity": "good", "evaluated_on": "9999-12-31"}),
                       ("/decisions/new/", {"title": "t", "category": "project", "description": "d", "planned_completion": "9999-12-31"}),
                       ("/cadres/people/new/", {"name": "n", "sex": "male", "ethnicity": "藏族", "birth_date": "0001-01-01", "id_number": "x"})]:
        data = {**data, "person": p.public_id, "village": p.home_village.code}
        r = c.post(form, data); print(form, r.status_code, r.get("Location"), r.exc_info and repr(r.exc_info[1]))
        if r.status_code == 302:
            r2 = c.get(r["Location"]); print(" ->", r2.status_code, r2.exc_info and repr(r2.exc_info[1]))
