"""The 四议两公开 rules' section of /settings/ (``governance/hooks.py``: ``settings_panel``)."""

from django.utils.translation import gettext_lazy as _

from decisions.models import DecisionPolicy
from governance.policy import policy_panel


def settings_panel(*, user, county, data=None):
    return policy_panel(
        DecisionPolicy,
        section="decisions",
        title=_("四议两公开：审议比例与决议公示期"),
        note=_("已录入的步骤按录入时的规则判断；新录入的步骤按录入当天有效的规则判断。"),
        schedule_path="decisions.services.policy_schedule",
        user=user,
        county=county,
        data=data,
    )
