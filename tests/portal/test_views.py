import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, override_settings
from django.urls import path, reverse

from accounts.models import Role
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_with_email_and_password_reaches_home(users):
    client = Client()
    response = login(client, users[Role.REVIEWER].email.upper())
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_password_shows_a_japanese_error():
    user = user_with_role(Role.REVIEWER)
    response = login(Client(), user.email, "wrong-password-123")
    assert response.status_code == 200
    assert "正しいメールアドレスとパスワードを入力してください" in response.content.decode()


def test_login_is_locked_after_five_failures_even_with_the_right_password(settings):
    user = user_with_role(Role.REVIEWER)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.email, "wrong-password-123")
    response = login(client, user.email)
    assert response.status_code == 429
    assert "ロック" in response.content.decode()


def test_pages_require_login():
    response = Client().get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_in_japanese_by_default():
    content = Client().get(reverse("login")).content.decode()
    assert 'lang="ja"' in content
    assert "ログイン" in content


def test_language_switcher_changes_to_english(users):
    client = Client()
    client.force_login(users[Role.REVIEWER])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Welcome" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (Role.AGGREGATOR_STAFF, "An officer submits it", "Triage"),
        (Role.AGGREGATOR_OFFICER, "submit it on behalf of your company", "Triage"),
        (Role.REVIEWER, "decide each flag", "Open administration"),
        (Role.REVIEW_LEAD, "record determinations", "Open administration"),
        (Role.ADMIN, "Open administration", "Your company"),
    ],
)
def test_home_shows_each_role_what_it_can_do_next(users, role, expected, absent):
    client = Client(headers={"accept-language": "en"})
    client.force_login(users[role])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(reverse("home")).content.decode()
    assert expected in content
    assert absent not in content


def test_strict_content_security_policy_without_inline_code(users):
    client = Client()
    client.force_login(users[Role.REVIEWER])
    response = client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    content = response.content.decode()
    assert "style=" not in content
    assert "<script>" not in content


def test_pages_of_logged_in_users_are_not_cached(users):
    client = Client()
    client.force_login(users[Role.REVIEWER])
    cache_control = client.get(reverse("home")).headers["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_csrf_failure_shows_a_friendly_japanese_page(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.REVIEWER])
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "フォームの有効期限" in response.content.decode()


def test_logout_requires_post_and_ends_the_session(users):
    client = Client()
    client.force_login(users[Role.REVIEWER])
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_change_enforces_length_and_similarity(users):
    user = users[Role.AGGREGATOR_STAFF]
    client = Client()
    client.force_login(user)
    short = {"old_password": PASSWORD, "new_password1": "short-pw", "new_password2": "short-pw"}
    response = client.post(reverse("password_change"), short)
    assert "12" in response.content.decode()
    similar = user.email + "1"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": similar, "new_password2": similar},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_admin_site_is_for_admins_only(users):
    client = Client()
    client.force_login(users[Role.REVIEW_LEAD])
    assert client.get("/admin/").status_code == 302
    client.force_login(users[Role.ADMIN])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/auditevent/").status_code == 200


def _fails(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [path("fails/", _fails)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_the_portals_own_japanese_page_and_no_detail(db):
    response = Client(raise_request_exception=False).get(
        "/fails/", headers={"accept-language": "ja"}
    )
    assert response.status_code == 500
    content = response.content.decode()
    assert "サーバーエラー" in content and "保存した内容は失われていません" in content
    assert "secret internal detail" not in content and "Traceback" not in content


def test_a_malformed_request_shows_the_portals_bad_request_page(client):
    from django.test import RequestFactory
    from django.views.defaults import bad_request

    request = RequestFactory().get("/", headers={"accept-language": "ja"})
    request.user = AnonymousUser()
    response = bad_request(request, exception=Exception())
    assert response.status_code == 400
    assert "不正なリクエスト" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/", "ホーム"),
        ("/reviews/", "審査キュー"),
        ("/reviews/dashboard/", "ダッシュボード"),
        ("/incidents/", "セキュリティ事故報告"),
        ("/filings/", "届出一覧"),
        ("/catalogue/", "チェックリスト"),
    ],
)
def test_the_navbar_marks_the_current_section_and_only_it(catalogue, url, current):
    client = Client()
    client.force_login(user_with_role(Role.REVIEWER))
    content = client.get(url, headers={"accept-language": "ja"}).content.decode()
    marked = re.findall(
        r'<a class="nav-link active" aria-current="page" href="[^"]*">([^<]*)</a>', content
    )
    assert marked == [current]
