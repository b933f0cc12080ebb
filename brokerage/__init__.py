"""The Django project and the marketplace domain: models, services, admin, settings."""
