from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("培训")
    # Hooks into shared pages: see governance/hooks.py.
    nav = (_("培训"), "training:class_list")
    demo_seed = "training.demo.seed"
    dashboard_panel = "training.panels.dashboard_panel"
    village_panel = "training.panels.village_panel"
    person_training = "training.panels.person_training"
    settings_panel = "training.panels.settings_panel"
