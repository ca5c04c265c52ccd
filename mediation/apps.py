from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("人民调解")
    # Hooks into shared pages: see governance/hooks.py.
    nav = (_("人民调解"), "mediation:index")
    demo_seed = "mediation.demo.seed"
    village_panel = "mediation.panels.village_panel"
    home_panel = "mediation.panels.home_panel"
    dashboard_panel = "mediation.panels.dashboard_panel"
