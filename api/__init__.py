"""REST API (Django REST Framework): serializers, viewsets, filters, permissions, schema."""
