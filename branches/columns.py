"""The branch register's columns: the table and both exports show the same ones."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.exports import Column


def season_label(branch) -> str:
    """“5月至7月”, “11月至次年2月”, or “全年” without a season."""
    if branch.season_start_month is None:
        return _("全年")
    if branch.season_crosses_year:
        return _("%(start)d月至次年%(end)d月") % {
            "start": branch.season_start_month,
            "end": branch.season_end_month,
        }
    return _("%(start)d月至%(end)d月") % {"start": branch.season_start_month, "end": branch.season_end_month}


def village_names(branch) -> str:
    """The base village and the linked ones (prefetched by ``selectors.with_links``)."""
    names = [branch.village.name] if branch.village_id else []
    names += [
        link.village.name for link in branch.village_links.all() if link.village_id != branch.village_id
    ]
    return _("、").join(names)


def enterprise_names(branch) -> str:
    return _("、").join(link.enterprise.name for link in branch.enterprise_links.all())


def rule_flag(branch) -> str:
    if branch.committee_ok and branch.supervision_ok:
        return _("合规")
    return _("班子设置不合规") if not branch.committee_ok else _("监委会设置不合规")


BRANCH_COLUMNS = [
    Column(gettext_lazy("名称"), lambda b: b.name),
    Column(gettext_lazy("类型"), lambda b: b.get_kind_display()),
    Column(gettext_lazy("所属乡镇"), lambda b: b.township.name),
    Column(gettext_lazy("村（社区）"), village_names),
    Column(gettext_lazy("联建企业"), enterprise_names),
    Column(gettext_lazy("正式党员"), lambda b: b.full_member_count),
    Column(gettext_lazy("预备党员"), lambda b: b.probationary_member_count),
    Column(gettext_lazy("活动季节"), season_label),
    Column(gettext_lazy("成立日期"), lambda b: b.start_date),
    Column(gettext_lazy("撤销日期"), lambda b: b.end_date),
    Column(gettext_lazy("班子设置"), rule_flag),
]
