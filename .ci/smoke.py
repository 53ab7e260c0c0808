"""Smoke test of the production server (run by .ci/smoke against gunicorn, DEBUG off, PostgreSQL,
db_worker): a reviewer logs in, sets up the second factor the production way (the key read off the
page, the code computed here), opens the queue, has a report rendered by the worker, downloads it
and verifies it on the verify page. Standard library only: it is a client, not a Django test."""

import base64
import hashlib
import hmac
import re
import struct
import sys
import time
import uuid
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

HOST, PORT = sys.argv[1], int(sys.argv[2])
EMAIL, PASSWORD = "reviewer@regulator.example", "demo-password-2026"
ORIGIN = f"https://{HOST}:{PORT}"  # behind the TLS proxy the portal is told about
cookies: dict[str, str] = {}
where = {"path": "/"}  # the page the last GET ended on, after its redirects


def call(
    method: str, path: str, body: bytes = b"", content_type: str = ""
) -> tuple[int, str, bytes]:
    connection = HTTPConnection(HOST, PORT, timeout=60)
    headers = {
        "Host": f"{HOST}:{PORT}",
        "X-Forwarded-Proto": "https",
        "Accept-Language": "ja",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
    }
    if method == "POST":
        headers |= {"Origin": ORIGIN, "Referer": ORIGIN + path, "Content-Type": content_type}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    for header in response.msg.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            cookies[name] = morsel.value
    data = response.read()
    if response.status >= 500:
        sys.exit(f"FAIL: {method} {path} -> {response.status}")
    return response.status, response.getheader("Location", ""), data


def get(path: str) -> str:
    """GET, following redirects; the final page's text."""
    for _ in range(10):
        status, location, data = call("GET", path)
        if status not in (301, 302, 303):
            if status != 200:
                sys.exit(f"FAIL: GET {path} -> {status}")
            where["path"] = path
            return data.decode()
        path = urlsplit(location).path + (
            f"?{urlsplit(location).query}" if urlsplit(location).query else ""
        )
    sys.exit(f"FAIL: too many redirects from {path}")


def token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        sys.exit("FAIL: no CSRF token on the page")
    return found.group(1)


def post(path: str, page: str, fields: dict) -> str:
    """POST a form (token from ``page``); the redirect target, or '' for a page answer."""
    body = urlencode({"csrfmiddlewaretoken": token(page), **fields}).encode()
    status, location, data = call("POST", path, body, "application/x-www-form-urlencoded")
    if status not in (200, 302, 303):
        sys.exit(f"FAIL: POST {path} -> {status}: {data[:300]!r}")
    return urlsplit(location).path + (
        f"?{urlsplit(location).query}" if urlsplit(location).query else ""
    )


def totp(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "").upper())
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def step(text: str) -> None:
    print(f"smoke: {text}", flush=True)


login = get("/accounts/login/")
after = post("/accounts/login/", login, {"username": EMAIL, "password": PASSWORD})
step(f"password accepted, sent to {after}")
enrol = get(after)
secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', enrol)
if not secret:
    sys.exit("FAIL: the reviewer was not asked to set up the second factor")
codes = post(where["path"], enrol, {"code": totp(secret.group(1)), "next": "/reviews/"})
if "recovery-codes" not in codes:
    sys.exit(f"FAIL: the code was not accepted (back at {codes})")
step("second factor set up; recovery codes shown")
get(codes)
queue = get("/reviews/")
receipts = re.findall(r"CS-\d{4}-\d{6}", queue)
if not receipts:
    sys.exit("FAIL: the queue lists no filing")
step(f"queue open: {len(set(receipts))} filings")
filing = re.search(r'href="/reviews/(\d+)/"', queue)
review = get(f"/reviews/{filing.group(1)}/")
reports_path = re.search(r'href="(/filings/\d+/reports/)"', review).group(1)
listing = get(reports_path)
post(f"{reports_path}filing_report/", listing, {})
step("filing report requested; waiting for the worker")
for _ in range(90):
    listing = get(reports_path)
    download = re.search(r'href="(/reports/\d+/download/)"', listing)
    if download:
        break
    time.sleep(1)
else:
    sys.exit("FAIL: the worker did not render the report within 90 s")
status, _, pdf = call("GET", download.group(1))
if status != 200 or not pdf.startswith(b"%PDF"):
    sys.exit(f"FAIL: the report download gave {status}")
step(f"report rendered and signed by the worker: {len(pdf):,} bytes")
verify = get("/reports/verify/")
boundary = uuid.uuid4().hex
body = (
    (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token(verify)}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="report.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    + pdf
    + f"\r\n--{boundary}--\r\n".encode()
)
status, _, page = call(
    "POST", "/reports/verify/", body, f"multipart/form-data; boundary={boundary}"
)
if status != 200 or "この報告書は真正です。" not in page.decode():
    sys.exit(f"FAIL: the verify page did not find the report authentic ({status})")
step("report verified as authentic")
print("smoke: OK")
