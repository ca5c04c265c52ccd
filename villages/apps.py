from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("村与党组织")
    # See governance/hooks.py.
    nav = (_("村（社区）"), "villages:village_list")
    demo_seed = "villages.demo.seed"
