"""The reporting calendar's section of /settings/ (``governance/hooks.py``: ``settings_panel``)."""

from django.utils.translation import gettext_lazy as _

from governance.policy import policy_panel
from supervision.models import ReportingPolicy


def settings_panel(*, user, county, data=None):
    return policy_panel(
        ReportingPolicy,
        section="supervision",
        title=_("监督报告报送日历"),
        note=_("自生效日期起开始的报送期次按新日历截止和锁定；此前的期次和报告保持原截止日期。"),
        schedule_path="supervision.services.policy_schedule",
        user=user,
        county=county,
        data=data,
    )
