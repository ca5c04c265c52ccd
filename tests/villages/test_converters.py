"""The ``<division:code>`` URL converter: twelve ASCII digits, nothing else."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve, reverse


def test_a_twelve_digit_code_resolves_to_the_village_page():
    assert resolve("/villages/513301101201/").kwargs == {"code": "513301101201"}


@pytest.mark.parametrize(
    "code",
    [
        "١٢٣٤٥٦٧٨٩٠١٢",  # Arabic-Indic digits match \d but are no division code
        "５１３３０１１０１２０１",  # full-width digits
        "51330110120",  # eleven digits
        "5133011012011",  # thirteen
    ],
)
def test_anything_else_is_no_village_url(code):
    with pytest.raises(Resolver404):
        resolve(f"/villages/{code}/")


@pytest.mark.django_db
def test_a_non_ascii_code_answers_404(staff_client):
    assert (
        staff_client.get(
            "/villages/%D9%A1%D9%A2%D9%A3%D9%A4%D9%A5%D9%A6%D9%A7%D9%A8%D9%A9%D9%A0%D9%A1%D9%A2/"
        ).status_code
        == 404
    )
    assert reverse("villages:village_detail", args=["513301101201"]) == "/villages/513301101201/"
