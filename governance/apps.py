from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("账号与权限")

    def ready(self) -> None:
        from governance.figures import install_triggers, remove_triggers

        # Around every migrate (the test database's too): the figures triggers come off while the
        # migrations run, and every table, new ones included, gets one afterwards.
        pre_migrate.connect(remove_triggers, sender=self, dispatch_uid="governance.figures.pre")
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="governance.figures")
