"""Smoke test of the production deployment (run by .ci/smoke): app servers with DEBUG off on one
PostgreSQL database, cache table, media directory and report worker. Every request goes to the
next server in turn, as a load balancer without sticky sessions would send it, with the public
host name the balancer forwards. An officer creates a filing, saves every answer (posted as a
form and in place, as the page's script does), and submits; a reviewer logs in, sets up the
second factor the production way (the key read off the page, the code computed here), opens the
queue and the new filing's review, has its report rendered by the worker, downloads it and
verifies it on the verify page. Standard library only: it is a client, not a Django test.

Usage: smoke.py HOST:PORT [HOST:PORT ...]
"""

import base64
import hashlib
import hmac
import re
import struct
import sys
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from html import unescape
from html.parser import HTMLParser
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

SERVERS = [(address.rsplit(":", 1)[0], int(address.rsplit(":", 1)[1])) for address in sys.argv[1:]]
HOST = SERVERS[0][0]  # the public name the balancer forwards (in ALLOWED_HOSTS)
ORIGIN = f"https://{HOST}"  # behind the TLS proxy the portal is told about
PASSWORD = "demo-password-2026"
served: Counter = Counter()  # requests per server


def step(text: str) -> None:
    print(f"smoke: {text}", flush=True)


def fail(text: str):
    sys.exit(f"FAIL: {text}")


def local(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Forms(HTMLParser):
    """The forms of a page as a browser would send them untouched: action and field values."""

    def __init__(self, page: str):
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._open = {"action": attributes.get("action", ""), "fields": {}}
            self.forms.append(self._open)
            return
        if self._open is None or "name" not in attributes:
            if tag == "option" and self._select and "selected" in attributes:
                self._open["fields"][self._select] = attributes.get("value", "")  # type: ignore[index]
            return
        fields, name = self._open["fields"], attributes["name"]
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    fields[name] = attributes.get("value", "on")
            elif kind not in ("submit", "button", "file", "reset"):
                fields[name] = attributes.get("value", "")
        elif tag == "select":
            self._select = name
            fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._open is not None and self._textarea:
            self._open["fields"][self._textarea] += data

    def by_action(self, pattern: str) -> list[dict]:
        return [form for form in self.forms if re.fullmatch(pattern, unescape(form["action"]))]


class Client:
    """One person's browser: its own cookies; each request to the next server in turn."""

    turn = 0  # shared by every client: the balancer's round robin

    def __init__(self, name: str):
        self.name = name
        self.cookies: dict[str, str] = {}
        self.where = "/"  # the page the last GET ended on, after its redirects

    def call(
        self, method: str, path: str, body: bytes = b"", content_type: str = "", extra=None
    ) -> tuple[int, str, bytes, dict]:
        host, port = SERVERS[Client.turn % len(SERVERS)]
        Client.turn += 1
        served[port] += 1
        connection = HTTPConnection(host, port, timeout=60)
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "ja",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(extra or {}),
        }
        if method == "POST":
            headers |= {"Origin": ORIGIN, "Referer": ORIGIN + path, "Content-Type": content_type}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        data = response.read()
        if response.status >= 500:
            fail(f"{self.name}: {method} {path} -> {response.status} on port {port}")
        return response.status, response.getheader("Location", ""), data, dict(response.msg)

    def get(self, path: str) -> str:
        """GET, following redirects; the final page's text."""
        for _ in range(10):
            status, location, data, _headers = self.call("GET", path)
            if status not in (301, 302, 303):
                if status != 200:
                    fail(f"{self.name}: GET {path} -> {status}")
                self.where = path
                return data.decode()
            path = local(location)
        fail(f"{self.name}: too many redirects from {path}")
        return ""

    def post(self, path: str, fields: dict, extra=None) -> tuple[int, str, bytes, dict]:
        body = urlencode(fields).encode()
        return self.call("POST", path, body, "application/x-www-form-urlencoded", extra)

    def submit(self, path: str, page: str, fields: dict) -> str:
        """POST a form (token from ``page``); the redirect target, or '' for a page answer."""
        status, location, data, _headers = self.post(
            path, {"csrfmiddlewaretoken": token(page), **fields}
        )
        if status not in (200, 302, 303):
            fail(f"{self.name}: POST {path} -> {status}: {data[:300]!r}")
        return local(location)

    def log_in(self, email: str) -> str:
        after = self.submit(
            "/accounts/login/",
            self.get("/accounts/login/"),
            {"username": email, "password": PASSWORD},
        )
        step(f"{self.name}: password accepted, sent to {after}")
        return after


def token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        fail("no CSRF token on the page")
    return found.group(1)  # type: ignore[union-attr]


def totp(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "").upper())
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def file_a_filing(officer: Client) -> str:
    """A new filing, every answer saved (in turns as a form and in place), then submitted; its
    receipt number."""
    form = officer.get("/filings/new/")
    fields = Forms(form).by_action(r"(/filings/new/)?")[0]["fields"]
    fields |= {
        "chain_role": "both",
        "importance_class": "standard",
        "expected_capacity_kw": "8000",
        "planned_start_date": (date.today() + timedelta(days=120)).isoformat(),
        "contact_name": "スモーク 太郎",
        "contact_email": "smoke@aggregator-a.example",
        "contact_phone": "03-0000-0000",
        "uses_lower_aggregators": "False",
    }
    checklist = officer.submit("/filings/new/", form, fields)
    pk = re.search(r"/filings/(\d+)/", checklist)
    if not pk:
        fail(f"the new filing was not created (sent to {checklist!r})")
    filing = pk.group(1)  # type: ignore[union-attr]
    step(f"officer: filing #{filing} created")
    saved, in_place, pages = 0, 0, [f"/filings/{filing}/checklist/"]
    seen: set[str] = set()
    done: set[str] = set()
    while pages:
        page_path = pages.pop(0)
        if page_path in seen:
            continue
        seen.add(page_path)
        page = officer.get(page_path)
        for form in Forms(page).by_action(rf"/filings/{filing}/answers/\d+/"):
            if form["action"] in done:
                continue  # the first section is listed under two addresses
            done.add(form["action"])
            values = form["fields"]
            prefix = next(name for name in values if name.endswith("-status")).rsplit("-", 1)[0]
            values |= {
                f"{prefix}-status": "implemented",
                f"{prefix}-implementation": "スモークテストで実施を確認した。",
            }
            headers = {"X-Fragment": "answer"} if saved % 2 else {}
            status, _location, data, answer_headers = officer.post(
                unescape(form["action"]), values, headers
            )
            if headers:
                if status != 200 or answer_headers.get("X-Fragment") != "answer":
                    fail(f"in-place save {form['action']} -> {status}")
                if "を保存しました" not in data.decode():
                    fail(f"the in-place save of {form['action']} did not say it was saved")
                in_place += 1
            elif status != 302:
                fail(f"save {form['action']} -> {status}: {data[:300]!r}")
            saved += 1
        sections = re.findall(rf'href="(/filings/{filing}/checklist/[^"/]+/(?:\?page=\d+)?)"', page)
        pages += [unescape(link) for link in sections if unescape(link) not in seen]
    step(f"officer: {saved} answers saved ({in_place} in place)")
    whole = officer.get(f"/filings/{filing}/whole/")
    if whole.count('class="whole-item') != saved:
        fail("the whole filing does not list every saved item")
    confirm = officer.get(f"/filings/{filing}/submit/")
    # The officer ticks the attestation, which the server requires.
    after = officer.submit(f"/filings/{filing}/submit/", confirm, {"confirm": "on"})
    detail = officer.get(after or f"/filings/{filing}/")
    receipt = re.search(r"CS-\d{4}-\d{6}", detail)
    if not receipt:
        fail(f"no receipt number after submitting (at {after})")
    step(f"officer: filing #{filing} submitted, receipt {receipt.group(0)}")  # type: ignore[union-attr]
    return receipt.group(0)  # type: ignore[union-attr]


def review_and_report(reviewer: Client, receipt: str) -> None:
    after = reviewer.log_in("reviewer@regulator.example")
    enrol = reviewer.get(after)
    secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', enrol)
    if not secret:
        fail("the reviewer was not asked to set up the second factor")
    codes = reviewer.submit(
        reviewer.where,
        enrol,
        {"code": totp(secret.group(1)), "next": "/reviews/"},  # type: ignore[union-attr]
    )
    if "recovery-codes" not in codes:
        fail(f"the code was not accepted (back at {codes})")
    step("reviewer: second factor set up; recovery codes shown")
    reviewer.get(codes)
    queue = reviewer.get(f"/reviews/?{urlencode({'company': 'エー・アグリゲーション'})}")
    rows = [row for row in queue.split("<tr") if receipt in row]
    found = re.search(r'href="/reviews/(\d+)/"', rows[0]) if rows else None
    if not found:
        fail(f"the queue does not list {receipt}")
    review_id = found.group(1)  # type: ignore[union-attr]
    review = reviewer.get(f"/reviews/{review_id}/")
    if receipt not in review:
        fail(f"review {review_id} is not the filing {receipt}")
    step(f"reviewer: queue and review of {receipt} open")
    reports_path = re.search(r'href="(/filings/\d+/reports/)"', review).group(1)  # type: ignore[union-attr]
    listing = reviewer.get(reports_path)
    reviewer.submit(f"{reports_path}filing_report/", listing, {})
    step("reviewer: filing report requested; waiting for the worker")
    for _ in range(120):
        listing = reviewer.get(reports_path)
        download = re.search(r'href="(/reports/\d+/download/)"', listing)
        if download:
            break
        time.sleep(1)
    else:
        fail("the worker did not render the report within 120 s")
    for _ in range(2):  # from each server in turn: the file is in the shared media store
        status, _location, pdf, _headers = reviewer.call("GET", download.group(1))  # type: ignore[union-attr]
        if status != 200 or not pdf.startswith(b"%PDF"):
            fail(f"the report download gave {status}")
    step(f"reviewer: report rendered and signed by the worker: {len(pdf):,} bytes")
    verify = reviewer.get("/reports/verify/")
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token(verify)}\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="report.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + pdf
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, _location, page, _headers = reviewer.call(
        "POST", "/reports/verify/", body, f"multipart/form-data; boundary={boundary}"
    )
    if status != 200 or "この報告書は真正です。" not in page.decode():
        fail(f"the verify page did not find the report authentic ({status})")
    step("reviewer: report verified as authentic")


officer = Client("officer")
officer.log_in("officer@aggregator-a.example")
receipt = file_a_filing(officer)
review_and_report(Client("reviewer"), receipt)
if len(SERVERS) > 1 and min(served[port] for _host, port in SERVERS) == 0:
    fail(f"a server got no request: {dict(served)}")
step(f"requests per server (port: count): {dict(served)}")
print("smoke: OK")
