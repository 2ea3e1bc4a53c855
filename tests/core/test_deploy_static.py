"""Static files in production: `collectstatic` with the manifest storage of DEBUG=0 succeeds, and
pages rendered with its manifest link to hashed names that are served.

Found going into service: the vendored Bootstrap files named source maps we do not ship, so
`DEBUG=0 dangjian collectstatic` exited 1 (whitenoise MissingFileError) and then every page was a
500 (`Missing staticfiles manifest entry for 'core/favicon.svg'`)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

# The pattern Django's ManifestStaticFilesStorage follows in .js and .css files.
SOURCE_MAP = re.compile(r"^(?://|/\*)#[ \t]sourceMappingURL=([^\s*]+)", re.MULTILINE)
STATIC_LINK = re.compile(r"""(?:href|src)=["'](/static/[^"'?#]+)""")
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")


def test_no_static_file_names_a_source_map_that_is_missing():
    missing = []
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns=None):
            if not path.endswith((".js", ".css")):
                continue
            text = Path(storage.path(path)).read_text(encoding="utf-8", errors="replace")
            for target in SOURCE_MAP.findall(text):
                if target.startswith("data:"):
                    continue
                if not Path(storage.path(path)).with_name(target).exists():
                    missing.append(f"{path} → {target}")
    assert not missing, missing


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """`dangjian collectstatic` exactly as an operator runs it: a fresh process with DEBUG=0."""
    root = tmp_path_factory.mktemp("prod")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "STATIC_ROOT")}
    env.update(
        DEBUG="0",
        SECRET_KEY="collectstatic-test-key-" + "x" * 40,
        DANGJIAN_DATA_DIR=str(root),
        DJANGO_SETTINGS_MODULE="dangjian.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "dangjian.manage", "collectstatic", "--noinput", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    static_root = root / "static"
    # The production storage wrote its manifest: pages can name hashed files.
    assert (static_root / "staticfiles.json").is_file()
    return static_root


@pytest.fixture
def production_static(settings, collected):
    settings.STATIC_ROOT = collected
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.DEBUG = False
    return collected


def static_links(page: str) -> list[str]:
    links = STATIC_LINK.findall(page)
    assert links, "the page links no static file"
    return links


def assert_served(client, links):
    for link in links:
        assert HASHED.search(link), f"not a hashed name: {link}"
        response = client.get(link)
        assert response.status_code == 200, link
        assert b"".join(response.streaming_content)
        assert "max-age=315360000" in response["Cache-Control"], link  # immutable: hashed


@pytest.mark.django_db
def test_login_page_links_hashed_static_files_that_are_served(production_static, client):
    response = client.get("/login/", secure=True)
    assert response.status_code == 200
    links = static_links(response.content.decode())
    assert any("favicon" in link for link in links)
    assert any("bootstrap.min" in link for link in links)
    assert_served(client, links)


def test_signed_in_pages_render_with_the_manifest(production_static, world, as_user):
    client = as_user(world.secretary_a)
    for url in ("/", "/org/people/", "/api/v1/docs/", "/api/v1/redoc/"):
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_served(client, static_links(response.content.decode()))


@pytest.mark.django_db
def test_admin_login_renders_with_the_manifest(production_static, client):
    # The admin signs in through the platform's login page (core.admin_site).
    response = client.get("/admin/login/", secure=True, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0].startswith("/login/")
    assert_served(client, static_links(response.content.decode()))
