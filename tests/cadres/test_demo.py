"""The demo data: every village staffed, flags and out-of-compliance villages present, idempotent."""

import pytest

from cadres import demo
from cadres.models import Development, DevelopmentStage, Person, Post, ReserveCadre, ReserveQuota
from cadres.selectors import ComplianceStatus, combined_leadership_on, compliance_for, compliance_totals
from cadres.services import add_months
from villages import demo as village_demo
from villages.models import Village

pytestmark = pytest.mark.django_db


def test_the_demo_staffs_every_village_and_is_idempotent(admin_user):
    village_demo.seed()
    demo.seed()
    counts = (Person.objects.count(), Post.objects.count(), ReserveCadre.objects.count())
    demo.seed()
    assert (Person.objects.count(), Post.objects.count(), ReserveCadre.objects.count()) == counts
    assert not Village.objects.filter(valid_to__isnull=True).exclude(cadre_posts__isnull=False).exists()

    villages = list(Village.objects.filter(valid_to__isnull=True).order_by("code")[:6])
    assert any(combined_leadership_on(village=v, on=add_months(demo.ELECTION, 1)) for v in villages)
    stages = set(Development.objects.values_list("stage", flat=True))
    assert stages == set(DevelopmentStage.values)

    quota = ReserveQuota.current()
    _townships, total = compliance_totals(
        compliance_for(admin_user, year=demo.CURRENT_YEAR, quota=quota), year=demo.CURRENT_YEAR, quota=quota
    )
    assert total["villages"] == 234
    assert total[ComplianceStatus.MET] > 150
    for status in (ComplianceStatus.TOO_FEW, ComplianceStatus.TOO_MANY, ComplianceStatus.BACKGROUND_MISSED):
        assert total[status] > 0
    assert ReserveCadre.objects.filter(plan_year=demo.CURRENT_YEAR - 1).exists()
    # Every synthetic number is checksum-valid, Kangding's, and matches the birth date.
    from cadres.idnumbers import validate_id_number

    for person in Person.objects.all()[:200]:
        number = person.reveal_id_number()
        assert number.startswith("513301")
        validate_id_number(number, birth_date=person.birth_date, male=person.sex == "male")
