from django.contrib import admin
from django.urls import include, path

from brokerage import views

handler404 = "api.exceptions.page_not_found"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("", include("frontend.urls")),
]
