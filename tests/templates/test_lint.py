"""Tests of the template linter (:mod:`kbc_docs.templates.lint`) and template folders.

The gallery (``tests/templates_broken/make_gallery.py``) damages the real ``report.docx`` the
way Word does. For each damage, either docxtpl repairs it (the build gives the same text as
the clean template and the linter reports no error), or the linter names the exact place:
the part, the table/row/cell and the paragraph, whose number is checked against the file.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import jinja2
import pytest
from docxtpl import DocxTemplate
from kbc_docs import view as view_module
from kbc_docs.content.resolve import load_content
from kbc_docs.errors import FontError, KbcError, TemplateError
from kbc_docs.render.docx.ooxml import W
from kbc_docs.render.docx.render import render_docx
from kbc_docs.templates.lint import Finding, check_template, format_findings, lint_templates
from kbc_docs.templates.lookup import default_templates, eject, find_template, search_path
from kbc_docs.templates.variables import template_context, template_vars, type_attributes
from kbc_docs.view import DocumentView, build_view
from lxml import etree
from support.sample_view import sample_view
from templates_broken.make_gallery import CASES, Case, make_gallery

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
REPAIRABLE = [c for c in CASES if c.repairable]
BROKEN = [c for c in CASES if not c.repairable]


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The gallery, made from the current ``templates/report.docx``."""
    return make_gallery(tmp_path_factory.mktemp("gallery"))


@pytest.fixture(scope="module")
def views() -> dict[str, DocumentView]:
    """The real example, and the same view laid out in parallel (the template's other half)."""
    resolved, locales = load_content(ROOT / "content" / "2023-11-16.yaml", default_templates())
    view = build_view(resolved, locales)
    return {"sequential": view, "parallel": dataclasses.replace(view, layout="parallel")}


@pytest.fixture(scope="module")
def clean(views: dict[str, DocumentView]) -> dict[str, list[str]]:
    return {name: texts(render_docx(v, TEMPLATES / "report.docx")) for name, v in views.items()}


def texts(data: bytes) -> list[str]:
    """The text of every paragraph of every part, in order."""
    out: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(z.namelist()):
            if re.match(r"word/(document|header\d*|footer\d*)\.xml$", name):
                root = etree.fromstring(z.read(name))
                out += ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in _ps(root)]
    return out


def _ps(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(f"{{{W}}}p"))


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def paragraph_text(path: Path, part: str, number: int) -> str:
    """Paragraph ``number`` (1-based, all paragraphs of the part) of a Word file, read anew."""
    name = "word/document.xml" if part == "body" else f"word/{part}.xml"
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read(name))
    p = _ps(root)[number - 1]
    return "".join(
        t.text or "" for t in p.iter(f"{{{W}}}t") if next(t.iterancestors(f"{{{W}}}p")) is p
    )


def word_file(tmp_path: Path, build: Callable[[docx.document.Document], object]) -> Path:
    document = docx.Document()
    build(document)
    path = tmp_path / "t.docx"
    document.save(path)
    return path


# ---------------------------------------------------------------- the committed templates


def test_the_committed_templates_have_no_findings() -> None:
    findings = lint_templates([TEMPLATES])
    assert findings == [], format_findings(findings)


def test_the_content_model_is_what_the_renderers_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The linter's top-level names are exactly those the two renderers give templates."""
    seen: dict[str, set[str]] = {}
    render = DocxTemplate.render

    def spy_docx(self, context, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen["docx"] = set(context)
        return render(self, context, *args, **kwargs)

    monkeypatch.setattr(DocxTemplate, "render", spy_docx)
    render_docx(sample_view(), TEMPLATES / "report.docx")
    assert seen["docx"] == set(template_context("docx"))

    class Stop(Exception):
        pass

    def spy_html(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen["html"] = set(kwargs) | set(args[0] if args else ())
        raise Stop

    monkeypatch.setattr(jinja2.Template, "render", spy_html)
    from kbc_docs.render.pdf.render import render_pdf

    try:
        with pytest.raises(Stop):
            render_pdf(sample_view(), "report.html", TEMPLATES)
    except FontError:
        pytest.skip("the sample's fonts are not installed")
    assert seen["html"] == set(template_context("html"))


def test_the_content_model_follows_the_view_dataclasses() -> None:
    """A field added to a view dataclass is known without touching the linter."""
    context = template_context("docx")
    assert {f.name for f in dataclasses.fields(DocumentView)} <= set(context)
    for cls in (view_module.Version, view_module.SignerBlock, view_module.Para, DocumentView):
        assert {f.name for f in dataclasses.fields(cls)} <= set(type_attributes(cls))
    # Public methods are attributes too, with their return types.
    assert {"rows", "parallel_signers"} <= set(type_attributes(DocumentView))
    assert not any(name.startswith("_") for name in type_attributes(DocumentView))


# ---------------------------------------------------------------- the gallery


@pytest.mark.parametrize("case", REPAIRABLE, ids=lambda c: c.name)
def test_damage_docxtpl_repairs_gives_the_same_document(
    case: Case,
    gallery: dict[str, Path],
    views: dict[str, DocumentView],
    clean: dict[str, list[str]],
) -> None:
    for layout, view in views.items():
        assert texts(render_docx(view, gallery[case.name])) == clean[layout], layout
    findings = check_template(gallery[case.name])
    assert errors(findings) == [], format_findings(findings)


def test_curly_quotes_are_repaired_but_reported(gallery: dict[str, Path]) -> None:
    warnings = check_template(gallery["smart_quotes"])
    assert warnings and all(f.severity == "warning" for f in warnings)
    assert all("“" in f.text and "curly quotes" in f.message for f in warnings)


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: c.name)
def test_damage_that_breaks_the_build_is_named_at_its_place(
    case: Case, gallery: dict[str, Path]
) -> None:
    findings = errors(check_template(gallery[case.name]))
    hits = [
        f
        for f in findings
        if f.part == case.part
        and case.where in f.location
        and case.text in f.text
        and case.message in f.message
    ]
    assert hits, format_findings(findings)
    # One mistake, one message; a consequence elsewhere points back at the cause.
    others = [f for f in findings if f is not hits[0]]
    assert all(hits[0].location in f.message for f in others), format_findings(findings)
    number = int(re.search(r"paragraph (\d+)", hits[0].location).group(1))
    assert paragraph_text(gallery[case.name], case.part, number) == hits[0].text


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: c.name)
def test_the_broken_gallery_really_breaks_the_build(
    case: Case,
    gallery: dict[str, Path],
    views: dict[str, DocumentView],
    clean: dict[str, list[str]],
) -> None:
    """Without the linter each of these fails, or silently loses text, in some layout."""
    outcomes = []
    for layout, view in views.items():
        try:
            outcomes.append(texts(render_docx(view, gallery[case.name])) == clean[layout])
        except KbcError:
            outcomes.append(False)
    assert not all(outcomes)


# ---------------------------------------------------------------- single rules, Word


def _cells(document: docx.document.Document, rows: int, cols: int, texts: dict) -> None:
    table = document.add_table(rows, cols)
    for (r, c), text in texts.items():
        table.cell(r, c).paragraphs[0].add_run(text)


RULES: list[tuple[str, Callable[[docx.document.Document], object], str, str]] = [
    (
        "p block across a table border",
        lambda d: (d.add_paragraph("{%p if slug %}"), _cells(d, 1, 1, {(0, 0): "{%p endif %}"})),
        "table 1, row 1, cell 1, paragraph 2",
        "not in the same table cell",
    ),
    (
        "tc block across rows",
        lambda d: _cells(d, 2, 2, {(0, 0): "{%tc for v in versions %}", (1, 0): "{%tc endfor %}"}),
        "table 1, row 2, cell 1",
        "different table rows",
    ),
    (
        "text beside {%p}",
        lambda d: (d.add_paragraph("Kính gửi {%p if slug %}"), d.add_paragraph("{%p endif %}")),
        "paragraph 1",
        "`Kính gửi` in it would be lost",
    ),
    (
        "space before the prefix",
        lambda d: (d.add_paragraph("{% p if slug %}"), d.add_paragraph("{%p endif %}")),
        "paragraph 1",
        "no space may stand between",
    ),
    (
        "non-breaking space after the prefix",
        lambda d: (d.add_paragraph("{%p\u00a0if slug %}"), d.add_paragraph("{%p endif %}")),
        "paragraph 1",
        "non-breaking space",
    ),
    (
        "misspelt end tag",
        lambda d: (
            d.add_paragraph("{%p for v in versions %}"),
            d.add_paragraph("{{ v.title }}"),
            d.add_paragraph("{%p endfro %}"),
        ),
        "paragraph 3",
        "did you mean `endfor`",
    ),
    ("unknown filter", lambda d: d.add_paragraph("{{ slug | uper }}"), "paragraph 1", "`upper`"),
    (
        "loop attribute",
        lambda d: d.add_paragraph("{% for v in versions %}{{ loop.idx }}{% endfor %}"),
        "paragraph 1",
        "did you mean `index`",
    ),
    (
        "map attribute",
        lambda d: d.add_paragraph("{{ versions | map(attribute='titel') | join }}"),
        "paragraph 1",
        "did you mean `title`",
    ),
    (
        "set and with",
        lambda d: d.add_paragraph("{% set f = versions[0] %}{{ f.signers[0].nmae }}"),
        "paragraph 1",
        "a SignerBlock has no field `nmae`; did you mean `name`?",
    ),
    (
        "font stack by language",
        lambda d: d.add_paragraph("{{ fonts['km'].bdy }}"),
        "paragraph 1",
        "a FontStack has no field `bdy`",
    ),
    (
        "unknown name",
        lambda d: d.add_paragraph("{{ langs }}"),
        "paragraph 1",
        "did you mean `languages`",
    ),
    (
        "loop outside a loop",
        lambda d: d.add_paragraph("{{ loop.index }}"),
        "paragraph 1",
        "only inside",
    ),
    ("unclosed tag", lambda d: d.add_paragraph("{{ slug } and more"), "paragraph 1", "not closed"),
    ("syntax", lambda d: d.add_paragraph("{{ slug ++ }}"), "paragraph 1", "unexpected"),
    (
        "other quotes",
        lambda d: d.add_paragraph("{{ slug ~ „x“ }}"),
        "paragraph 1",
        "must be straight quotes",
    ),
    (
        "two {%tr} in one row",
        lambda d: _cells(d, 1, 2, {(0, 0): "{%tr for v in versions %}", (0, 1): "{%tr endfor %}"}),
        "table 1, row 1, cell 2",
        "2 `{%tr %}` tags in one table row: docxtpl keeps only the last (`{%tr endfor %}`)",
    ),
    (
        "{{r}} with plain text",
        lambda d: d.add_paragraph("{{r slug }}"),
        "paragraph 1",
        "RichText",
    ),
    (
        "{%tc} outside a table",
        lambda d: (d.add_paragraph("{%tc for v in versions %}"), d.add_paragraph("{%tc endfor %}")),
        "paragraph 1",
        "not in a table",
    ),
]


@pytest.mark.parametrize(
    ("build", "where", "message"), [r[1:] for r in RULES], ids=[r[0] for r in RULES]
)
def test_word_rule(
    build: Callable[[docx.document.Document], object], where: str, message: str, tmp_path: Path
) -> None:
    findings = check_template(word_file(tmp_path, build))
    assert any(where in f.location and message in f.message for f in findings), format_findings(
        findings
    )


def test_guarded_names_are_not_reported(tmp_path: Path) -> None:
    """``is defined`` and ``default`` are how a template says a name may be missing."""
    path = word_file(
        tmp_path,
        lambda d: d.add_paragraph(
            "{{ versions[0].extra | default('') }}{% if slug.x is defined %}x{% endif %}"
        ),
    )
    assert check_template(path) == []


def test_inline_block_over_two_paragraphs_is_a_warning(tmp_path: Path) -> None:
    path = word_file(
        tmp_path, lambda d: (d.add_paragraph("{% if slug %}a"), d.add_paragraph("b{% endif %}"))
    )
    (finding,) = check_template(path)
    assert finding.severity == "warning" and "merge the paragraphs" in finding.message


def test_headers_footers_and_properties_are_checked(tmp_path: Path) -> None:
    def build(d: docx.document.Document) -> None:
        d.sections[0].footer.paragraphs[0].add_run("{{ v.title }}")
        d.core_properties.title = "{{ slgu }}"

    findings = check_template(word_file(tmp_path, build))
    assert {(f.part, f.message.split(";")[0]) for f in findings} == {
        ("footer1", "unknown variable `v`"),
        ("properties", "unknown variable `slgu`"),
    }


def test_not_a_word_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip")
    (finding,) = check_template(bad)
    assert "not a Word document" in finding.message and finding.file == str(bad)


# ---------------------------------------------------------------- HTML templates


HTML_CASES = [
    ("{{ v.national_title }}", "{{ v.natonal_title }}", "did you mean `national_title`"),
    # Inside the macro `issuers(v)`: `b` is a HeaderBody because the macro gets a Version.
    ('<div class="body">{{ b.body }}</div>', '<div class="body">{{ b.bdy }}</div>', "`body`"),
    ('{%- if role == "h1" %}', "{%- if role == “h1” %}", "must be straight quotes"),
    (
        '{%- if v.closing %}\n  <p class="closing">{{ v.closing }}</p>\n  {%- endif %}',
        '{%- if v.closing %}\n  <p class="closing">{{ v.closing }}</p>\n',
        "is never closed",
    ),
    ("{%- for p in v.body %}", "{%p for p in v.body %}", "Word-template prefix"),
]


HTML_CASES = [("report.html", *case) for case in HTML_CASES]
# The shared macros: `t` is a SignerText because it loops over view.parallel_signers().
HTML_CASES.append(
    (
        "_shared.html",
        '{{ signer_line("signer-title", t.title) }}',
        '{{ signer_line("signer-title", t.titel) }}',
        "a SignerText has no field `titel`",
    )
)


@pytest.mark.parametrize(("name", "old", "new", "message"), HTML_CASES)
def test_html_template_problems_are_named_by_line(
    name: str, old: str, new: str, message: str, tmp_path: Path
) -> None:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    assert old in source
    broken = source.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(broken, encoding="utf-8")
    findings = check_template(path)
    assert len(findings) == 1, format_findings(findings)
    (finding,) = findings
    assert message in finding.message
    line = broken.splitlines()[int(finding.location.removeprefix("line ")) - 1]
    assert finding.text.rstrip("…") in " ".join(line.split())
    assert " ".join(new.split("\n")[0].split())[:30] in finding.text


# ---------------------------------------------------------------- output


def test_format_findings_as_text_and_json(gallery: dict[str, Path]) -> None:
    findings = lint_templates([gallery["misspelt_variable"], gallery["smart_quotes"]])
    text = format_findings(findings)
    assert "body, table 1, row 1, cell 2, paragraph 3: error:" in text
    assert "\n    {{ v.natonal_title }}\n" in text
    assert text.endswith(f"1 error(s), {len(findings) - 1} warning(s)")
    doc = json.loads(format_findings(findings, as_json=True))
    assert doc["errors"] == 1 and doc["warnings"] == len(findings) - 1
    assert doc["findings"][0]["file"].endswith("misspelt_variable.docx")
    assert set(doc["findings"][0]) == {"severity", "part", "location", "text", "message", "file"}
    assert format_findings([]) == "no problems found"


# ---------------------------------------------------------------- template folders


def test_find_template_prefers_the_custom_folder(tmp_path: Path) -> None:
    custom = tmp_path / "custom"
    (custom / "locale").mkdir(parents=True)
    (custom / "report.docx").write_bytes(b"custom")
    (custom / "locale" / "km.yaml").write_text("x")
    folders = search_path(custom, TEMPLATES)
    assert find_template("report.docx", folders) == custom / "report.docx"
    assert find_template("signing.docx", folders) == TEMPLATES / "signing.docx"
    assert find_template("locale/km.yaml", folders) == custom / "locale" / "km.yaml"
    assert find_template("locale/vi.yaml", folders) == TEMPLATES / "locale" / "vi.yaml"
    assert find_template("report.docx", search_path(None, TEMPLATES)) == TEMPLATES / "report.docx"
    assert search_path(custom, TEMPLATES) == [custom, TEMPLATES]
    with pytest.raises(TemplateError, match="not found"):
        find_template("nothing.docx", search_path(custom, TEMPLATES))
    for name in ("../README.md", "/etc/passwd", ""):
        with pytest.raises(TemplateError):
            find_template(name, search_path(custom, TEMPLATES))


def test_eject_copies_everything_and_never_overwrites(tmp_path: Path) -> None:
    default = tmp_path / "default"
    (default / "locale").mkdir(parents=True)
    for name in ("report.docx", "report.html", "locale/km.yaml", "~$report.docx"):
        (default / name).write_text(name)
    dest = tmp_path / "mine"
    written = eject(default, dest)
    assert sorted(p.relative_to(dest).as_posix() for p in written) == [
        "locale/km.yaml",
        "report.docx",
        "report.html",
    ]
    (dest / "report.docx").write_text("edited by a clerk")
    with pytest.raises(TemplateError) as exc:
        eject(default, dest)
    assert len(exc.value.problems) == 3
    assert (dest / "report.docx").read_text() == "edited by a clerk"


def test_eject_of_the_real_templates(tmp_path: Path) -> None:
    written = eject(TEMPLATES, tmp_path / "t")
    assert {p.name for p in written} >= {"report.docx", "signing.html", "style.css", "km.yaml"}
    assert lint_templates([tmp_path / "t"]) == []


def test_template_vars_lists_every_field_with_its_comment() -> None:
    text = template_vars()
    for cls in (view_module.Version, view_module.SignerBlock, view_module.Para, DocumentView):
        assert f"## {cls.__name__}" in text
        for f in dataclasses.fields(cls):
            assert f"| `{f.name}` |" in text, (cls.__name__, f.name)
    assert "| `party` | text | party id, names the PDF signature field later |" in text
    assert "| `versions` | list of [Version](#version) |" in text
    assert "`loop.index`" in text and "`rows()`" in text
