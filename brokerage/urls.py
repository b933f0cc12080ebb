from django.contrib import admin
from django.urls import include, path

from brokerage import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("", include("frontend.urls")),
]
