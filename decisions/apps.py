from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("四议两公开")
    # Hooks into shared pages: see governance/hooks.py.
    nav = (_("四议两公开"), "decisions:index")
    demo_seed = "decisions.demo.seed"
    village_panel = "decisions.panels.village_panel"
    home_panel = "decisions.panels.home_panel"
    dashboard_panel = "decisions.panels.dashboard_panel"
    settings_panel = "decisions.policy_panel.settings_panel"
