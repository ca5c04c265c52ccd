from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("村干部")
    # Hooks into shared pages: see governance/hooks.py. Uncomment as each piece exists.
    nav = (_("干部"), "cadres:index")
    demo_seed = "cadres.demo.seed"
    village_panel = "cadres.panels.village_panel"
    home_panel = "cadres.panels.home_panel"
    dashboard_panel = "cadres.panels.dashboard_panel"
    settings_panel = "cadres.policy_panel.settings_panel"
    branch_panel = "cadres.panels.branch_panel"
