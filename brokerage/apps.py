from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Volunteer brokerage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from axes.signals import user_locked_out  # it imports models: not before ready

        from brokerage.infra import market_log, versions  # they import models: not before ready
        from brokerage.messaging import emails  # ditto

        versions.connect()
        market_log.connect()
        user_locked_out.connect(emails.on_locked_out, dispatch_uid="lockout-email")
