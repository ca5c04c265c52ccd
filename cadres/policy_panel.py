"""The 3512 quota's section of /settings/ (``governance/hooks.py``: ``settings_panel``)."""

from django.utils.translation import gettext_lazy as _

from cadres.models import ReserveQuota
from governance.policy import policy_panel


def settings_panel(*, user, county, data=None):
    return policy_panel(
        ReserveQuota,
        section="cadres",
        title=_("3512 后备干部配备标准"),
        note=_("每个计划年度按该年1月1日有效的标准判断达标：年中的修改从下一年度起适用。"),
        schedule_path="cadres.services.quota_schedule",
        user=user,
        county=county,
        data=data,
    )
