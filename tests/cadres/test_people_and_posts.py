import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cadres import idnumbers, services
from cadres.models import Committee, IdNumberReveal, Person, Position, Post
from tests.cadres.factories import PersonFactory, PostFactory

pytestmark = pytest.mark.django_db

# Hand-computed (DESIGN §4): 51330119900517 weighs 248, sequence 123 adds 1·8 + 2·4 + 3·2 = 22;
# 270 = 24·11 + 6 → check character "6". Sequence 123 is odd: a man.
NUMBER = "513301199005171236"


def _register(user, village, number=NUMBER, birth=dt.date(1990, 5, 17), name="新登记"):
    return services.person_create(
        user=user,
        id_number=number,
        name=name,
        sex="male",
        ethnicity="藏族",
        birth_date=birth,
        education="senior",
        phone="13812345678",
        home_village=village,
    )


def test_registering_stores_the_number_only_encrypted_hashed_and_masked(staff, village):
    person = _register(staff, village)
    stored = Person.objects.filter(pk=person.pk).values().get()
    assert NUMBER not in str(stored)
    assert stored["id_number_masked"] == NUMBER[:6] + "********" + NUMBER[14:]
    assert person.reveal_id_number() == NUMBER


def test_a_duplicate_number_names_the_person_the_user_may_see(staff, village):
    _register(staff, village)
    with pytest.raises(ValidationError) as exc:
        _register(staff, village, name="第二次")
    assert exc.value.message_dict["id_number"] == [
        services.ID_DUPLICATE_VISIBLE % {"name": "新登记", "village": village.name}
    ]
    assert Person.objects.count() == 1


def test_a_duplicate_from_another_township_does_not_name_them(staff, outsider, village, other_village):
    _register(staff, village)
    with pytest.raises(ValidationError) as exc:
        _register(outsider, other_village, name="外乡")
    assert exc.value.message_dict["id_number"] == [services.ID_DUPLICATE_HIDDEN]
    assert "新登记" not in str(exc.value)


def test_the_database_refuses_a_duplicate_hash_too(village):
    person = PersonFactory(home_village=village)
    twin = PersonFactory.build(home_village=village)
    twin.id_number_hash = person.id_number_hash
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_mismatched_birth_date_saves_nothing(staff, village):
    with pytest.raises(ValidationError) as exc:
        _register(staff, village, birth=dt.date(1990, 5, 18))
    assert "id_number" in exc.value.message_dict
    assert not Person.objects.exists()


def test_updating_the_birth_date_alone_must_still_match_the_number(staff, village):
    person = _register(staff, village)
    with pytest.raises(ValidationError):
        services.person_update(person=person, user=staff, birth_date=dt.date(1991, 1, 1))


def test_township_staff_and_county_officials_may_reveal_and_each_reveal_is_logged(staff, official, person):
    assert services.person_reveal_id_number(person=person, user=staff) == person.reveal_id_number()
    services.person_reveal_id_number(person=person, user=official)
    assert list(IdNumberReveal.objects.values_list("user__username", flat=True).order_by("pk")) == [
        "staff",
        "official",
    ]


def test_outsiders_and_admins_may_not_reveal(outsider, admin_user, person):
    for user in (outsider, admin_user):
        with pytest.raises(PermissionDenied):
            services.person_reveal_id_number(person=person, user=user)
    assert not IdNumberReveal.objects.exists()


def test_a_second_active_secretary_is_refused_and_nothing_saved(secretary_post, village, person):
    with pytest.raises(ValidationError) as exc:
        services.post_create(
            person=person,
            village=village,
            committee=Committee.BRANCH,
            position=Position.SECRETARY,
            start_date=dt.date(2026, 1, 1),
        )
    assert exc.value.message_dict["position"] == [
        services.POST_OVERLAP
        % {"village": village.name, "position": "书记", "person": secretary_post.person.name}
    ]
    assert Post.objects.count() == 1


def test_the_database_refuses_two_open_secretaries(secretary_post, village):
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            person=PersonFactory(home_village=village),
            village=village,
            committee=Committee.BRANCH,
            position=Position.SECRETARY,
            start_date=dt.date(2026, 1, 1),
        )


def test_the_database_refuses_two_open_directors(village):
    PostFactory(village=village, committee=Committee.VILLAGERS, position=Position.DIRECTOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory(village=village, committee=Committee.VILLAGERS, position=Position.DIRECTOR)


def test_a_new_secretary_may_start_the_day_after_the_last_one_left(secretary_post, village, person):
    services.post_end(post=secretary_post, end_date=dt.date(2025, 12, 31))
    with pytest.raises(ValidationError):
        services.post_create(
            person=person,
            village=village,
            committee="branch",
            position="secretary",
            start_date=dt.date(2025, 12, 31),
        )
    post = services.post_create(
        person=person,
        village=village,
        committee="branch",
        position="secretary",
        start_date=dt.date(2026, 1, 1),
    )
    assert post.term_end == dt.date(2031, 1, 1)


def test_a_position_of_another_committee_is_refused(village, person):
    with pytest.raises(ValidationError) as exc:
        services.post_create(
            person=person,
            village=village,
            committee="villagers",
            position="secretary",
            start_date=dt.date(2026, 1, 1),
        )
    assert exc.value.message_dict["position"] == [
        services.POST_WRONG_COMMITTEE % {"position": "书记", "committee": "村民委员会"}
    ]


def test_a_post_cannot_end_before_it_started_or_twice(secretary_post):
    with pytest.raises(ValidationError):
        services.post_end(post=secretary_post, end_date=secretary_post.start_date - dt.timedelta(days=1))
    services.post_end(post=secretary_post, end_date=secretary_post.start_date)
    with pytest.raises(ValidationError):
        services.post_end(post=secretary_post, end_date=dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13812345678", True),
        ("0836-2812345", True),
        ("08362812345", True),
        ("", True),
        ("1381234567", False),  # ten digits
        ("138123456789", False),  # twelve digits
        ("23812345678", False),
        ("138-1234-5678", False),
    ],
)
def test_a_phone_number_must_look_like_one(staff, village, phone, ok):
    birth = dt.date(1990, 5, 17)
    fields = dict(
        name="电话",
        sex="male",
        birth_date=birth,
        education="senior",
        phone=phone,
        home_village=village,
        id_number="513301199005170110",  # 248 + 0·8 + 1·4 + 1·2 = 254 ≡ 1 (mod 11) → "0"
    )
    if ok:
        assert services.person_create(user=staff, **fields).phone == phone
        return
    with pytest.raises(ValidationError) as exc:
        services.person_create(user=staff, **fields)
    assert exc.value.message_dict["phone"] == [
        "手机号应为11位手机号码，或带区号的固定电话（如0836-2812345）。"
    ]
    assert not Person.objects.exists()


def test_a_number_whose_17th_digit_disagrees_with_the_sex_saves_nothing(staff, village):
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            user=staff,
            id_number=NUMBER,  # sequence 123: odd, a man
            name="性别不符",
            sex="female",
            birth_date=dt.date(1990, 5, 17),
            education="senior",
            home_village=village,
        )
    assert exc.value.message_dict["id_number"] == [str(idnumbers.ID_SEX_MISMATCH_MALE)]
    assert not Person.objects.exists()


def test_changing_the_sex_alone_must_still_match_the_stored_number(staff, village):
    person = _register(staff, village)
    with pytest.raises(ValidationError) as exc:
        services.person_update(person=person, user=staff, sex="female")
    assert exc.value.message_dict["id_number"] == [str(idnumbers.ID_SEX_MISMATCH_MALE)]
    person.refresh_from_db()
    assert person.sex == "male"
