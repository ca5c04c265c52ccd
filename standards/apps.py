from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("六个标准化")
    # Hooks into shared pages: see governance/hooks.py.
    nav = (_("六个标准化"), "standards:index")
    demo_seed = "standards.demo.seed"
    village_panel = "standards.panels.village_panel"
    branch_panel = "standards.panels.branch_panel"
    dashboard_panel = "standards.panels.dashboard_panel"
    review_items = "standards.panels.review_items"
    review_count = "standards.panels.review_count"
    review_act = "standards.panels.review_act"
