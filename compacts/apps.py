from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompactsConfig(AppConfig):
    name = "compacts"
    verbose_name = _("村规民约和文明公约")
    # Hooks into shared pages: see governance/hooks.py.
    nav = (_("村规民约"), "compacts:index")
    demo_seed = "compacts.demo.seed"
    village_panel = "compacts.panels.village_panel"
    public_panel = "compacts.panels.public_panel"
    dashboard_panel = "compacts.panels.dashboard_panel"
