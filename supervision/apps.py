from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("村务监督")
    # Hooks into shared pages: see governance/hooks.py. Uncomment as each piece exists.
    nav = (_("监督报告"), "supervision:index")
    demo_seed = "supervision.demo.seed"
    village_panel = "supervision.panels.village_panel"
    home_panel = "supervision.panels.home_panel"
    dashboard_panel = "supervision.panels.dashboard_panel"
    province_panel = "supervision.panels.province_panel"
    settings_panel = "supervision.policy_panel.settings_panel"
    review_items = "supervision.panels.review_items"
    review_count = "supervision.panels.review_count"
    review_act = "supervision.panels.review_act"
