"""The issue's "done when" path in a real browser: a township user registers a person, gives them a
post, puts them on the 3512 reserve bench and walks them through 党群荐 → 两委审 → 综合定 → 结对帮
(on a desktop and on a phone); the whole ID number appears only after the logged reveal; the county
official sees 3512 compliance for every village of the county on one page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cadres import idnumbers
from cadres.forms import person_choice_label
from cadres.models import IdNumberReveal, Person, Post, ReserveCadre, ReserveStage
from tests.cadres.factories import PersonFactory, PostFactory, ReserveCadreFactory
from tests.factories import VillageFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

PHONE = {"width": 375, "height": 740}
BIRTH_DATE = dt.date(1990, 5, 17)
ID_NUMBER = "513301199005171236"  # hand-computed: weighted sum 270 ≡ 6 (mod 11) → "6"


def _no_sideways_scroll(page, viewport):
    if viewport:
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.url


def _shows_only_masked(page):
    content = page.content()
    assert ID_NUMBER not in content
    assert ID_NUMBER[:17] not in content  # not even without the check character
    assert "513301********1236" in content


@pytest.fixture
def mentor(village):
    """A sitting branch secretary of the village, offered as mentor at 结对帮."""
    post = PostFactory(
        village=village,
        person__name="格桑书记",
        start_date=dt.date(2024, 1, 1),
        term_end=dt.date(2029, 1, 1),
    )
    return post.person


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_person_is_registered_posted_benched_and_walked_through_the_four_steps(
    log_in, staff, village, mentor, viewport
):
    today = timezone.localdate()
    page = log_in("staff", viewport=viewport)

    # Register the person from the cadres register.
    page.goto("/cadres/")
    _no_sideways_scroll(page, viewport)
    page.get_by_role("link", name="登记人员").click()
    _no_sideways_scroll(page, viewport)
    page.get_by_label("姓名").fill("次仁测试")
    page.get_by_label("性别").select_option(label="男")
    page.get_by_label("民族").fill("藏族")
    page.get_by_label("出生日期").fill(BIRTH_DATE.isoformat())
    page.get_by_label("身份证号码").fill(ID_NUMBER)
    page.get_by_label("文化程度").select_option(label="高中/中专")
    page.get_by_label("手机号").fill("13800001111")
    page.get_by_label("户籍所在村").select_option(label=village.name)
    page.get_by_label("返乡农民工").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记次仁测试。")).to_be_visible()
    expect(page.get_by_role("heading", name="次仁测试")).to_be_visible()
    _shows_only_masked(page)
    _no_sideways_scroll(page, viewport)
    person = Person.objects.get(name="次仁测试")
    assert person.id_number_masked == "513301********1236"

    # Give them a post, straight from their page.
    page.get_by_role("link", name="新增任职").click()
    page.get_by_label("职务").select_option(label="委员")
    page.get_by_label("任职日期").fill(today.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已任职")).to_be_visible()
    expect(page.get_by_role("heading", name=f"{village.name}两委班子")).to_be_visible()
    _no_sideways_scroll(page, viewport)
    assert Post.objects.filter(person=person, village=village, position="member").exists()

    # From the roster back to the person, and onto the reserve bench (党群荐).
    page.get_by_role("link", name="次仁测试").first.click()
    page.get_by_role("link", name="推荐为后备干部").click()
    _no_sideways_scroll(page, viewport)
    assert page.get_by_label("计划年度").input_value() == str(today.year)
    page.get_by_label("党群推荐日期").fill(today.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已推荐次仁测试为后备干部")).to_be_visible()
    _shows_only_masked(page)
    _no_sideways_scroll(page, viewport)

    # 两委审 → 综合定 → 结对帮: each step offers only the next one.
    for step in ("两委审", "综合定"):
        assert page.get_by_role("button", name="结对帮").count() == 0
        page.get_by_role("heading", name=step).locator("..").get_by_label("日期").fill(today.isoformat())
        page.get_by_role("button", name=step).click()
        expect(page.get_by_text(f"已办理：{step}。")).to_be_visible()
        _no_sideways_scroll(page, viewport)
    pair = page.get_by_role("heading", name="结对帮").locator("..")
    pair.get_by_label("结对日期").fill(today.isoformat())
    pair.get_by_role("combobox", name="帮带干部").press_sequentially(mentor.name)  # a searchable picker
    pair.get_by_role("listbox", name="帮带干部").get_by_role(
        "option", name=person_choice_label(mentor)
    ).click()
    page.get_by_role("button", name="结对帮").click()
    expect(page.get_by_text("已办理：结对帮。")).to_be_visible()
    expect(page.get_by_text(f"帮带干部：{mentor.name}")).to_be_visible()
    _no_sideways_scroll(page, viewport)

    reserve = ReserveCadre.objects.get(person=person)
    assert (reserve.village, reserve.plan_year, reserve.stage) == (village, today.year, ReserveStage.PAIRED)
    assert (reserve.reviewed_on, reserve.decided_on, reserve.paired_on) == (today, today, today)
    assert reserve.mentor == mentor

    # The village page shows the person on its reserve bench at the last step.
    page.get_by_role("link", name=village.name).first.click()
    bench = page.locator("ul.bench").inner_text()
    assert "次仁测试" in bench and "结对帮" in bench
    assert ID_NUMBER not in page.content()
    _no_sideways_scroll(page, viewport)


def test_a_wrong_check_character_is_explained_in_chinese_and_nothing_is_saved(log_in, staff, village):
    wrong = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
    page = log_in("staff", viewport=PHONE)
    page.goto("/cadres/people/new/")
    page.get_by_label("姓名").fill("次仁测试")
    page.get_by_label("性别").select_option(label="男")
    page.get_by_label("出生日期").fill(BIRTH_DATE.isoformat())
    page.get_by_label("身份证号码").fill(wrong)
    page.get_by_label("文化程度").select_option(label="初中")
    page.get_by_label("户籍所在村").select_option(label=village.name)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(str(idnumbers.ID_WRONG_CHECK))).to_be_visible()
    assert page.get_by_label("身份证号码").input_value() == ""  # never echoed back
    assert page.get_by_label("姓名").input_value() == "次仁测试"  # the rest is kept
    _no_sideways_scroll(page, PHONE)
    assert not Person.objects.exists()


def test_a_mentor_without_an_active_post_is_refused_with_a_chinese_error(log_in, staff, village, mentor):
    today = timezone.localdate()
    reserve = ReserveCadreFactory(
        village=village,
        plan_year=today.year,
        recommended_on=today,
        reviewed_on=today,
        decided_on=today,
        stage=ReserveStage.DECIDED,
    )
    Post.objects.filter(person=mentor).update(start_date=today + dt.timedelta(days=1))  # not yet in post
    page = log_in("staff")
    page.goto(f"/cadres/reserves/{reserve.public_id}/")
    pair = page.get_by_role("heading", name="结对帮").locator("..")
    pair.get_by_label("结对日期").fill(today.isoformat())
    pair.get_by_role("combobox", name="帮带干部").press_sequentially(mentor.name)  # a searchable picker
    pair.get_by_role("listbox", name="帮带干部").get_by_role(
        "option", name=person_choice_label(mentor)
    ).click()
    page.get_by_role("button", name="结对帮").click()
    expect(page.get_by_text("帮带干部须在结对日有在任职务。")).to_be_visible()
    reserve.refresh_from_db()
    assert (reserve.stage, reserve.mentor) == (ReserveStage.DECIDED, None)


def test_the_person_page_shows_the_id_number_masked_until_the_logged_reveal(log_in, staff, village):
    person = PersonFactory(home_village=village, name="卓玛测试", id_number=ID_NUMBER, birth_date=BIRTH_DATE)
    page = log_in("staff")
    page.goto(f"/cadres/people/{person.public_id}/")
    _shows_only_masked(page)
    assert not IdNumberReveal.objects.exists()

    page.get_by_role("button", name="查看完整号码（将被记录）").click()
    expect(page.get_by_text(ID_NUMBER)).to_be_visible()
    expect(page.get_by_text("（本次查看已记录）")).to_be_visible()
    reveal = IdNumberReveal.objects.get()
    assert (reveal.user, reveal.person) == (staff, person)

    # Coming back to the page later shows it masked again.
    page.goto(f"/cadres/people/{person.public_id}/")
    _shows_only_masked(page)
    page.goto("/cadres/")
    assert ID_NUMBER not in page.content()
    assert IdNumberReveal.objects.count() == 1


def test_the_county_official_sees_3512_compliance_for_every_village_on_one_page(
    log_in, official, township, other_township, village, other_village
):
    year = timezone.localdate().year
    villages = [village, other_village]
    villages += [VillageFactory(township=township, name=f"姑咱示例{n:02d}村") for n in range(2, 6)]
    villages += [VillageFactory(township=other_township, name=f"新都桥示例{n:02d}村") for n in range(2, 6)]
    for n in range(3):  # the first village meets the plan: 3 people, 1 returning migrant worker
        ReserveCadreFactory(
            village=village,
            plan_year=year,
            recommended_on=dt.date(year, 1, 1),
            person__is_returning_migrant=n == 0,
        )
    ReserveCadreFactory(village=other_village, plan_year=year, recommended_on=dt.date(year, 1, 1))

    page = log_in("official")
    page.goto("/cadres/")
    page.get_by_role("link", name="3512达标情况").click()
    expect(page.get_by_role("heading", name=f"{year}年3512后备干部达标情况")).to_be_visible()
    expect(page.get_by_text(f"共 {len(villages)} 个村（社区）")).to_be_visible()
    rows = page.locator("#results table").nth(1).locator("tbody tr")
    assert rows.count() == len(villages)
    for target in villages:
        assert page.get_by_role("row", name=target.name).count() == 1
    assert "达标" in page.get_by_role("row", name=village.name).inner_text()
    assert "人数不足" in page.get_by_role("row", name=other_village.name).inner_text()
    totals = page.locator("#results tfoot tr").inner_text().split()
    assert totals[:5] == ["合计", str(len(villages)), "4", "1", "1"]
    expect(page.get_by_role("link", name="Excel (xlsx)")).to_be_visible()
    expect(page.get_by_role("link", name="CSV")).to_be_visible()
