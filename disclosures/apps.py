from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "disclosures"
    verbose_name = _("五公开")
    # Hooks into shared pages: see governance/hooks.py.
    nav = (_("五公开"), "disclosures:list")
    demo_seed = "disclosures.demo.seed"
    home_panel = "disclosures.panels.home_panel"
    dashboard_panel = "disclosures.panels.dashboard_panel"
    public_panel = "disclosures.panels.public_panel"
