from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("党组织")
    # Hooks into shared pages: see governance/hooks.py.
    nav = (_("党组织"), "branches:branch_list")
    demo_seed = "branches.demo.seed"
    village_panel = "branches.panels.village_panel"
