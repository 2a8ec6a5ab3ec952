"""Re-runnable: teach templates/report.docx the Party's header (Hướng dẫn 36-HD/VPTW).

* under an issuing body whose view says ``b.mark`` ("*"), print the mark instead of the rule;
* print the motto paragraph only when there is a motto (the Party's title has none, and its
  rule then follows the title: render/docx_rules.py measures it against "KBC National Title").

Only the sequential Decree 30 header is changed (the one with the KBCNationalTitle cell).
Idempotent: a template that already has the tags is left as it is.

    python scripts/party_docx_template.py toolkit/kbc_docs/data/templates/report.docx
"""

import sys
import zipfile
from pathlib import Path


def para(style: str, text: str) -> str:
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">'
        f"{text}</w:t></w:r></w:p>"
    )


BODY = para("KBCIssuerBody", "{{ b.body }}")
RULE_AFTER_BODY = '<w:p><w:pPr><w:pStyle w:val="KBCRule"/><w:spacing w:after="60"/>'
TITLE = para("KBCNationalTitle", "{{ v.national_title }}")
MOTTO = para("KBCMotto", "{{ v.motto }}")


def patch(xml: str) -> str:
    if "{%p if b.mark %}" in xml:
        return xml
    # The issuing body in the Decree 30 header: "BODY RULE" in the cell beside the title.
    title_at = xml.index(TITLE)
    body_at = xml.rindex(BODY, 0, title_at)
    rule_at = body_at + len(BODY)
    assert xml.startswith(RULE_AFTER_BODY, rule_at), xml[rule_at : rule_at + 200]
    rule_end = xml.index("</w:p>", rule_at) + len("</w:p>")
    rule = xml[rule_at:rule_end]
    wrapped = (
        para("KBCTag", "{%p if b.mark %}")
        + para("KBCIssuerBody", "{{ b.mark }}")
        + para("KBCTag", "{%p else %}")
        + rule
        + para("KBCTag", "{%p endif %}")
    )
    xml = xml[:rule_at] + wrapped + xml[rule_end:]
    title_at = xml.index(TITLE)
    motto_at = title_at + len(TITLE)
    assert xml.startswith(MOTTO, motto_at)
    xml = (
        xml[:motto_at]
        + para("KBCTag", "{%p if v.motto %}")
        + MOTTO
        + para("KBCTag", "{%p endif %}")
        + xml[motto_at + len(MOTTO) :]
    )
    return xml


def main(path: Path) -> None:
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    out = path.with_suffix(".tmp")
    with zipfile.ZipFile(out, "w") as dst:
        for info, data in items:
            if info.filename == "word/document.xml":
                data = patch(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    out.replace(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
