"""The public page of one disclosure (no login): published or withdrawn only, drafts are not found;
every free text redacted (governance.privacy) in the template; printable."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from disclosures import selectors


@require_safe
def disclosure_page(request, public_id):
    disclosure = get_object_or_404(selectors.public_detail(), public_id=public_id)
    income, expenditure = selectors.split_lines(disclosure)
    context = {
        "disclosure": disclosure,
        "income": income,
        "expenditure": expenditure,
        "corrections": list(disclosure.corrections.all()),
        "back": reverse("public:village", kwargs={"code": disclosure.village.code}),
    }
    return render(request, "disclosures/public_page.html", context)
