"""Export columns (the same as the tables). ID numbers and phones leave masked, always."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cadres.selectors import ComplianceStatus
from governance.exports import Column

PERSON_COLUMNS = [
    Column(_("姓名"), lambda p: p.name),
    Column(_("性别"), lambda p: p.get_sex_display()),
    Column(_("民族"), lambda p: p.ethnicity),
    Column(_("出生日期"), lambda p: p.birth_date),
    Column(_("身份证号码"), lambda p: p.id_number_masked),
    Column(_("文化程度"), lambda p: p.get_education_display()),
    Column(_("手机号"), lambda p: p.masked_phone),
    Column(_("背景"), lambda p: "、".join(p.background_labels)),
    Column(_("户籍所在村"), lambda p: p.home_village.name),
    Column(_("乡镇（街道）"), lambda p: p.home_village.township.name),
    Column(_("连续两年不称职"), lambda p: p.flag_incompetent_twice),
]

POST_COLUMNS = [
    Column(_("村（社区）"), lambda p: p.village.name),
    Column(_("乡镇（街道）"), lambda p: p.village.township.name),
    Column(_("组织"), lambda p: p.get_committee_display()),
    Column(_("职务"), lambda p: p.get_position_display()),
    Column(_("姓名"), lambda p: p.person.name),
    Column(_("身份证号码"), lambda p: p.person.id_number_masked),
    Column(_("任职日期"), lambda p: p.start_date),
    Column(_("任期届满日期"), lambda p: p.term_end),
    Column(_("离任日期"), lambda p: p.end_date),
    Column(_("连续两年不称职"), lambda p: p.flag_incompetent_twice),
]

EVALUATION_COLUMNS = [
    Column(_("年度"), lambda e: e.year),
    Column(_("村（社区）"), lambda e: e.village.name),
    Column(_("乡镇（街道）"), lambda e: e.village.township.name),
    Column(_("姓名"), lambda e: e.person.name),
    Column(_("述职评议"), lambda e: e.get_performance_display()),
    Column(_("述廉评议"), lambda e: e.get_integrity_display()),
    Column(_("评议日期"), lambda e: e.evaluated_on),
    Column(_("连续两年不称职"), lambda e: e.flag_incompetent_twice),
    Column(_("备注"), lambda e: e.notes),
]

DEVELOPMENT_COLUMNS = [
    Column(_("村（社区）"), lambda d: d.village.name),
    Column(_("乡镇（街道）"), lambda d: d.village.township.name),
    Column(_("姓名"), lambda d: d.person.name),
    Column(_("阶段"), lambda d: d.get_stage_display()),
    Column(_("递交申请日期"), lambda d: d.applied_on),
    Column(_("确定积极分子日期"), lambda d: d.activist_on),
    Column(_("确定发展对象日期"), lambda d: d.candidate_on),
    Column(_("接收预备党员日期"), lambda d: d.admitted_on),
    Column(_("预备期满日期"), lambda d: d.probation_ends_on),
    Column(_("转正日期"), lambda d: d.confirmed_on),
    Column(_("本地程序标签"), lambda d: d.tags),
]

RESERVE_COLUMNS = [
    Column(_("计划年度"), lambda r: r.plan_year),
    Column(_("村（社区）"), lambda r: r.village.name),
    Column(_("乡镇（街道）"), lambda r: r.village.township.name),
    Column(_("姓名"), lambda r: r.person.name),
    Column(_("身份证号码"), lambda r: r.person.id_number_masked),
    Column(_("背景"), lambda r: "、".join(r.person.background_labels)),
    Column(_("选拔环节"), lambda r: r.get_stage_display()),
    Column(_("帮带干部"), lambda r: r.mentor.name if r.mentor else ""),
    Column(_("去向"), lambda r: r.get_outcome_display()),
    Column(_("退出原因"), lambda r: r.withdrawal_reason),
]

COMPLIANCE_COLUMNS = [
    Column(_("区划代码"), lambda v: v.code),
    Column(_("村（社区）"), lambda v: v.name),
    Column(_("乡镇（街道）"), lambda v: v.township.name),
    Column(_("后备干部数"), lambda v: v.reserve_count),
    Column(_("返乡农民工或致富能手"), lambda v: v.background_count),
    Column(_("状态"), lambda v: ComplianceStatus.LABELS[v.status]),
]

# The reveal log: who saw whose whole ID number, when. The number itself leaves masked, as everywhere.
REVEAL_COLUMNS = [
    Column(_("查看时间"), lambda r: r.revealed_at),
    Column(_("查看人"), lambda r: r.user.get_full_name() or r.user.username),
    Column(_("用户名"), lambda r: r.user.username),
    Column(_("角色"), lambda r: r.user.get_role_display()),
    Column(_("所属单位"), lambda r: r.user.jurisdiction or ""),
    Column(_("被查看人"), lambda r: r.person.name),
    Column(_("身份证号码"), lambda r: r.person.id_number_masked),
    Column(_("户籍所在村"), lambda r: r.person.home_village.name),
    Column(_("乡镇（街道）"), lambda r: r.person.home_village.township.name),
]
