from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"

    def ready(self) -> None:
        from knox.models import get_token_model  # models load only once apps are ready

        from brokerage.infra import versions  # ditto
        from brokerage.services.accounts import (  # ditto (it imports models)
            account_closed,
            password_changed,
        )

        def end_tokens(sender, user, **kwargs) -> None:
            get_token_model().objects.filter(user=user).delete()

        account_closed.connect(end_tokens, weak=False, dispatch_uid="api-end-tokens")
        # A new password ends the tokens the old one opened, as it ends other sessions.
        password_changed.connect(end_tokens, weak=False, dispatch_uid="api-end-tokens-password")
        versions.AUTH.watch(get_token_model())  # remembered tokens: see api.authentication
