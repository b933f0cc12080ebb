from django.contrib import admin
from django.urls import include, path

from brokerage.config import views

handler404 = "api.exceptions.page_not_found"
handler403 = "api.exceptions.permission_denied"
handler500 = "api.exceptions.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("", include("frontend.urls")),
]
