"""Render a manual chapter (Markdown) to HTML for the 帮助 pages.

Raw HTML in the Markdown is not rendered (html=False: it is shown as text), so a chapter cannot
inject markup or scripts; HTML comments — the lead's notes and placeholders — are removed
before rendering and never reach a reader. Headings get GitHub's anchors, images under
images/ are served as static files, and links to another chapter open that chapter in the app.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.templatetags.static import static
from django.urls import reverse
from markdown_it import MarkdownIt

from dangjian.manual import rules

HERE = Path(__file__).resolve().parent
CONTENT = HERE / "content"  # the chapters (package data: content/*.md)
IMAGES = HERE / "static" / "manual" / "images"  # their pictures, served as static files
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Section:
    level: int
    title: str
    anchor: str


@dataclass(frozen=True)
class Rendered:
    title: str
    html: str
    sections: tuple[Section, ...]


def source(chapter: rules.Chapter) -> str:
    return (CONTENT / chapter.file).read_text(encoding="utf-8")


def _target(href: str) -> str:
    """A link of the Markdown as the app serves it."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#"):
        return href
    name = parts.path.rsplit("/", 1)[-1]
    chapter = rules.BY_FILE.get(name)
    if chapter is not None and "/" not in parts.path.strip("./"):
        url = reverse("manual:chapter", args=[chapter.slug])
        return url + (f"#{parts.fragment}" if parts.fragment else "")
    return href


def _image(src: str) -> str:
    if src.startswith("images/") and ".." not in src:
        return static("manual/" + src)
    return src


def _png_size(src: str) -> tuple[int, int] | None:
    """A picture's width and height from its PNG header, so the page reserves its place and a
    link to a section lands on the section while the pictures above it load."""
    if not src.startswith("images/") or ".." in src:
        return None
    try:
        with open(IMAGES / src.removeprefix("images/"), "rb") as f:
            head = f.read(24)
    except OSError:
        return None
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    return md


def render_text(text: str) -> Rendered:
    md = _parser()
    tokens = md.parse(_COMMENT.sub("", text))
    sections: list[Section] = []
    seen: dict[str, int] = {}
    title = ""
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[i + 1]
            plain = "".join(
                child.content
                for child in inline.children or []
                if child.type in ("text", "code_inline")
            )
            anchor = rules.slugify_heading(plain)
            if anchor in seen:
                seen[anchor] += 1
                anchor = f"{anchor}-{seen[anchor]}"
            else:
                seen[anchor] = 0
            token.attrSet("id", anchor)
            level = int(token.tag[1])
            if level == 1 and not title:
                title = plain
            elif level in (2, 3):
                sections.append(Section(level, plain, anchor))
        elif token.type == "table_open":
            token.attrSet("class", "table table-sm table-bordered align-middle")
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "image":
                    src = str(child.attrGet("src") or "")
                    size = _png_size(src)
                    if size:
                        child.attrSet("width", str(size[0]))
                        child.attrSet("height", str(size[1]))
                    child.attrSet("src", _image(src))
                    child.attrSet("class", "img-fluid border rounded my-2 dj-manual-shot")
                    child.attrSet("loading", "lazy")
                elif child.type == "link_open":
                    child.attrSet("href", _target(str(child.attrGet("href") or "")))
    html = md.renderer.render(tokens, md.options, {})
    html = html.replace("<table ", '<div class="table-responsive"><table ').replace(
        "</table>", "</table></div>"
    )
    return Rendered(title=title, html=html, sections=tuple(sections))


@lru_cache(maxsize=32)
def _render_cached(slug: str, mtime: float) -> Rendered:
    return render_text(source(rules.BY_SLUG[slug]))


def render(chapter: rules.Chapter) -> Rendered:
    """The chapter rendered, kept until its file changes."""
    mtime = (CONTENT / chapter.file).stat().st_mtime
    return _render_cached(chapter.slug, mtime)
