"""Every page a user can reach works under the strict Content-Security-Policy: no inline
<script> (JSON data elements excepted), no on*= handler, no javascript: link, no <style>
element, and the CSP header on the response.

The demo institution is loaded once; then, as the organisation department (zuzhibu), a branch
secretary (zhibu) and a plain member (dangyuan), the test follows every same-site link from
the home page (breadth first, bounded), so pages added later are walked without being listed.
A scan of the template sources catches what no demo page happens to render."""

import io
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction

import dangjian
from dangjian.core.models import User

PAGES_PER_USER = 260
SKIP = re.compile(
    r"^/(logout|admin|media|static|api)/|/(export|xlsx|print-xlsx|download)"
    r"|\.(xlsx|pdf|docx)$|/dismiss/"
)
JSON_TYPES = {"application/json", "application/ld+json"}


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.problems: list[str] = []
        self._in_script = False
        self._script_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> element")
        inline = not attrs.get("src") and (attrs.get("type") or "").lower() not in JSON_TYPES
        if tag == "script" and inline:
            self._in_script = True
            self._script_text = ""
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_data(self, data):
        if self._in_script:
            self._script_text += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script:
            self._in_script = False
            self.problems.append(f"inline <script>: {self._script_text.strip()[:60]!r}")


def scan(html: str) -> _Scanner:
    scanner = _Scanner()
    scanner.feed(html)
    return scanner


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    # In a transaction rolled back afterwards: the demo's audit rows are append-only, and
    # deleting the demo would leave them to the tests that run next on this worker.
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", people=300, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def crawl(client, start=("/",), limit=PAGES_PER_USER):
    """Visit same-site pages from `start`; return {path: problems} and the count."""
    seen, queue, problems, visited = set(), deque(start), {}, 0
    while queue and visited < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited += 1
        assert "Content-Security-Policy" in response, url
        csp = response["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp
            and "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
        ), url
        html = response.content.decode()
        scanner = scan(html)
        if scanner.problems:
            problems[url] = scanner.problems
        for href in scanner.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(parts.path) or path in seen:
                continue
            queue.append(path)
    return problems, visited


@pytest.mark.slow
@pytest.mark.parametrize(
    ("username", "at_least"), [("zuzhibu", 150), ("zhibu", 80), ("dangyuan", 15)]
)
def test_every_reachable_page_is_csp_clean(demo_loaded, db, client, username, at_least):
    client.force_login(User.objects.get(username=username))
    problems, visited = crawl(client)
    assert not problems, problems
    assert visited >= at_least  # the walk really went through the app


@pytest.mark.slow
def test_anonymous_public_pages_are_csp_clean(demo_loaded, db, client):
    problems, visited = crawl(client, start=("/login/", "/public/"), limit=80)
    assert not problems, problems
    assert visited >= 5


TEMPLATE_ROOT = Path(dangjian.__file__).parent
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def test_no_template_has_inline_script_handlers_or_style_elements():
    found = []
    for path in sorted(TEMPLATE_ROOT.glob("*/templates/**/*.html")):
        text = path.read_text()
        rel = path.relative_to(TEMPLATE_ROOT)
        for pattern, what in (
            (HANDLER, "on*= handler"),
            (INLINE_SCRIPT, "inline <script>"),
            (re.compile(r"<style", re.I), "<style> element"),
            (re.compile(r"javascript:", re.I), "javascript: link"),
        ):
            if pattern.search(text):
                found.append(f"{rel}: {what}")
    assert not found, found
