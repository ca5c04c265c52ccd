from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Excel导入")
    # Hooks into shared pages: see governance/hooks.py.
    nav = (_("Excel导入"), "imports:index")
