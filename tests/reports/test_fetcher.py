"""The PDF renderer loads its stylesheet and nothing else, however the URL is spelled."""

import pytest

from reports.rendering import PRINT_STATIC, StaticOnlyFetcher

STATIC = PRINT_STATIC.as_uri()


@pytest.mark.parametrize(
    "url",
    [
        f"{STATIC}/%2e%2e/var/signing/key.pem",  # encoded traversal (passed the old filter)
        f"{STATIC}/%2E%2E/%2E%2E/etc/passwd",
        f"{STATIC}/../var/signing/key.pem",
        f"{STATIC}/css/%2e%2e/%2e%2e/manage.py",
        f"{STATIC}/css/portal.css",  # a static file, but not one the print needs
        "file:///etc/passwd",
        "file://attacker.example/share/x.css",
        "https://attacker.example/x.css",
        "data:text/css,body{}",
    ],
)
def test_the_renderer_refuses_every_url_but_its_stylesheet(url):
    with pytest.raises(ValueError, match="fetches"):
        StaticOnlyFetcher(allowed_protocols=["file"]).fetch(url)


def test_the_renderer_loads_the_print_stylesheet_even_when_percent_encoded():
    fetcher = StaticOnlyFetcher(allowed_protocols=["file"])
    for url in (f"{STATIC}/css/print.css", f"{STATIC}/%63ss/print.css"):
        result = fetcher.fetch(url)
        try:
            assert b"@page" in result.read()
        finally:
            result.close()
