from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("账号与权限")

    def ready(self) -> None:
        from governance.figures import install_triggers

        # After every migrate (the test database's too): new tables get the figures trigger.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="governance.figures")
