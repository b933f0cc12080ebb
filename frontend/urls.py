from django.urls import path

from frontend.views import (
    accounts,
    broker,
    listings,
    matches,
    notifications,
    organisations,
    public,
    reports,
)

app_name = "frontend"
urlpatterns = [
    path("", public.home, name="home"),
    path("needs/", public.needs, name="needs"),
    path("needs/new/", listings.need_new, name="need-new"),
    path("needs/<int:pk>/", public.need_detail, name="need"),
    path("offers/new/", listings.offer_new, name="offer-new"),
    path("offers/<int:pk>/", listings.offer_page, name="offer"),
    path("needs/<int:pk>/edit/", listings.need_edit, name="need-edit"),
    path("offers/<int:pk>/edit/", listings.offer_edit, name="offer-edit"),
    path("needs/<int:pk>/close/", listings.close, {"kind": "need"}, name="need-close"),
    path("offers/<int:pk>/close/", listings.close, {"kind": "offer"}, name="offer-close"),
    path("needs/<int:pk>/publish/", listings.publish, {"kind": "need"}, name="need-publish"),
    path("offers/<int:pk>/publish/", listings.publish, {"kind": "offer"}, name="offer-publish"),
    path("matches/propose/", matches.propose, name="propose"),
    path("matches/<int:pk>/", matches.match_page, name="match"),
    path("matches/<int:pk>/accept/", matches.answer, {"verb": "accept"}, name="accept"),
    path("matches/<int:pk>/decline/", matches.answer, {"verb": "decline"}, name="decline"),
    path("sign-in/", accounts.SignInView.as_view(), name="sign-in"),
    path("sign-out/", accounts.SignOutView.as_view(), name="sign-out"),
    path("sign-up/", accounts.sign_up, name="sign-up"),
    path("dashboard/", accounts.dashboard, name="dashboard"),
    path("account/", accounts.account_page, name="account"),
    path("account/my-data.json", accounts.my_data, name="my-data"),
    path("account/close/", accounts.close_account, name="account-close"),
    path("organisations/<int:pk>/", organisations.organisation_page, name="organisation"),
    path(
        "invitations/<int:pk>/withdraw/", organisations.revoke_invitation, name="invitation-revoke"
    ),
    path("invitations/<str:token>/", organisations.invitation_page, name="invitation"),
    path("organisations/<int:pk>/verify/", broker.verify, name="verify"),
    path("organisations/<int:pk>/reject/", broker.reject, name="reject"),
    path("allocation/", broker.allocation, name="allocation"),
    path("allocation/<int:pk>/apply/", broker.apply_lines, name="allocation-apply"),
    path("reports/", reports.report_page, name="reports"),
    path("wards/", broker.wards, name="wards"),
    path("audit/", broker.audit_log, name="audit"),
    path("notifications/", notifications.inbox_page, name="inbox"),
    path("notifications/read/", notifications.mark_all_read, name="inbox-read"),
]
