from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Volunteer brokerage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from axes.signals import user_locked_out  # it imports models: not before ready

        from brokerage import emails, market_version  # they import models: not before ready
        from brokerage.reports.summary import watch as watch_delivery  # ditto

        market_version.connect()
        watch_delivery()
        user_locked_out.connect(emails.on_locked_out, dispatch_uid="lockout-email")
