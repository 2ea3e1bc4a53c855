"""docs/SOURCES.md defines the short names by which the code cites its source documents.

A contributor who reads a citation in a comment or a docstring finds the document in
SOURCES.md: every title in book-title marks there is one SOURCES.md lists, and its short-name
table names each of the five source documents once, with its issuer, number and date.
"""

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "SOURCES.md"
DOMAIN = ROOT / "docs" / "DOMAIN.md"
TITLE = re.compile("\u300a[^\u300a\u300b\n]+\u300b")  # 《…》


def short_name_rows() -> list[list[str]]:
    """The rows of the table under "## Short names", as lists of cells."""
    text = SOURCES.read_text(encoding="utf-8")
    section = text.split("## Short names", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    return [row for row in cells[2:] if row]  # after the header and its rule


def comments_and_docstrings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each `#` comment and each docstring of a Python file."""
    source = path.read_text(encoding="utf-8")
    found = [
        (token.start[0], token.string)
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found.append((node.lineno, node.value.value))
    return found


def test_each_source_document_has_one_short_name():
    rows = short_name_rows()
    names = [TITLE.match(row[0]).group(0) for row in rows if TITLE.match(row[0])]
    assert len(names) == len(rows), "each row starts with its short name in 《》"
    assert len(set(names)) == len(names), "short names are unique"
    formerly = [row[-1] for row in rows]
    for number in ("000", "001", "002", "003", "004"):
        holders = [
            name
            for name, cited in zip(names, formerly, strict=True)
            if f"seed {number}," in f"{cited},"
        ]
        assert len(holders) == 1, f"seed {number} has exactly one short name: {holders}"
    for row in rows:
        document, issuer, number, date = row[1:5]
        assert document and issuer and number and date, row


def test_titles_cited_in_code_are_listed_in_sources():
    listed = set(TITLE.findall(SOURCES.read_text(encoding="utf-8")))
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {title}"
        for folder in ("src", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, text in comments_and_docstrings(path)
        for title in TITLE.findall(text)
        if title not in listed
    ]
    assert not missing, "cite documents by the short names of docs/SOURCES.md:\n" + "\n".join(
        missing
    )


def test_titles_cited_in_domain_are_listed_in_sources():
    listed = set(TITLE.findall(SOURCES.read_text(encoding="utf-8")))
    cited = set(TITLE.findall(DOMAIN.read_text(encoding="utf-8")))
    assert cited <= listed, sorted(cited - listed)


def test_pages_and_messages_cite_documents_by_title_not_by_file_number():
    # Officers know the documents by their titles and articles, not by the numbered files they
    # were once kept in (种子文件000…004, "seed 002").
    old = re.compile(r"种子文件|种子评分表|seed 00[0-4]|(?<!《支部)考核办法 [一二三四五六七]")
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for pattern in ("*.py", "*.html")
        for path in sorted((ROOT / "src").rglob(pattern))
        if "migrations" not in path.parts
        for match in old.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "cite by the short names of docs/SOURCES.md:\n" + "\n".join(found)


def test_seeded_rule_rows_cite_documents_by_title(db):
    from dangjian.assessment.models import ScoreSheetTemplate
    from dangjian.branches.models import GradingStandard
    from dangjian.orglife.models import FrequencyRule

    texts = [
        *ScoreSheetTemplate.objects.values_list("note", flat=True),
        *GradingStandard.objects.values_list("note", flat=True),
        *FrequencyRule.objects.values_list("source", flat=True),
    ]
    assert texts and not [t for t in texts if "种子" in t]
    assert any("《支部考核办法》" in t or "《基层组织建设实施意见》" in t for t in texts)
