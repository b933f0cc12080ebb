from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Volunteer brokerage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from brokerage import market_version  # it imports models: not before the app is ready

        market_version.connect()
