from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/prove/", views.login_proof_view, name="login_proof"),
    path("mfa/", views.mfa_status, name="mfa"),
    path("mfa/enrol/", views.mfa_enrol, name="mfa_enrol"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("mfa/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
]
