from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as accounts_views
from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        accounts_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("catalogue/", include("checklists.urls")),
    path("filings/", include("filings.urls")),
    path("", include("reviews.urls")),
    path("orders/", include("orders.urls")),
    path("", include("reports.urls")),
    path("consultations/", include("consultations.urls")),
    path("admin/", admin.site.urls),
]
