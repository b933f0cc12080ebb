from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, registering the service's models from `brokerage.config.admin` (the
    admin is an edge of the project, so its registrations live with the wiring, not in the
    domain's `brokerage/admin.py` where autodiscovery would look)."""

    def ready(self) -> None:
        super().ready()
        from brokerage.config import admin  # noqa: F401  # registers the models once apps load
