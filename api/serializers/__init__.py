"""Serializers: JSON in and out. Validation of shape here; business rules in the services."""
