"""Re-runnable: teach templates/report.docx the Party's header (Hướng dẫn 36-HD/VPTW).

* under an issuing body whose view says ``b.mark`` ("*"), print the mark instead of the rule;
* print the motto paragraph only when there is a motto (the Party's title has none, and its
  rule then follows the title: render/docx_rules.py measures it against "KBC National Title").

Every header is changed: the sequential Decree 30 one (the cell with "KBC National Title"),
the parallel one (the columns with "KBC Parallel National Title"), where a Party body prints
its star and a State body of a Decree 30 column its rule, and the centred Khmer/Lao one
(its motto only when there is one).
Idempotent: a header that already has the tags is left as it is.

    python scripts/party_docx_template.py toolkit/kbc_docs/data/templates/report.docx
"""

import sys
from pathlib import Path

from docx_patch import para, patch_document

BODY = para("KBCIssuerBody", "{{ b.body }}")
RULE_AFTER_BODY = '<w:p><w:pPr><w:pStyle w:val="KBCRule"/><w:spacing w:after="60"/>'
TITLE = para("KBCNationalTitle", "{{ v.national_title }}")
MOTTO = para("KBCMotto", "{{ v.motto }}")


SEQUENTIAL_MARK = (
    para("KBCTag", "{%p if b.mark %}")
    + para("KBCIssuerBody", "{{ b.mark }}")
    + para("KBCTag", "{%p else %}")
)
PARALLEL_TITLE = para("KBCParallelNationalTitle", "{{ v.national_title }}")
PARALLEL_MOTTO = para("KBCParallelMotto", "{{ v.motto }}")
IF_DECREE30 = para("KBCTag", '{%p if layouts[v.lang] == "decree30" %}')
PARALLEL_MARK = (
    para("KBCTag", "{%p if b.mark %}")
    + para("KBCIssuerBody", "{{ b.mark }}")
    + para("KBCTag", '{%p elif layouts[v.lang] == "decree30" %}')
)


def patch(xml: str) -> str:
    """document.xml with every header taught the Party's form."""
    return _patch_centred(_patch_parallel(_patch_sequential(xml)))


def _patch_centred(xml: str) -> str:
    """The centred Khmer/Lao header: the motto only when there is one (the Khmer or Lao text
    of a Party report is headed by the Party's name alone). Run after the sequential patch,
    which leaves no other title directly followed by its motto."""
    if TITLE + MOTTO not in xml:
        return xml
    return xml.replace(
        TITLE + MOTTO,
        TITLE + para("KBCTag", "{%p if v.motto %}") + MOTTO + para("KBCTag", "{%p endif %}"),
        1,
    )


def _patch_parallel(xml: str) -> str:
    """The parallel header: the motto only when there is one (so the Decree 30 column's rule
    follows the Party's title), and a Party body's star in place of its rule."""
    if PARALLEL_MARK in xml:
        return xml
    motto_at = xml.index(PARALLEL_MOTTO)
    assert xml.startswith(PARALLEL_TITLE, motto_at - len(PARALLEL_TITLE))
    xml = (
        xml[:motto_at]
        + para("KBCTag", "{%p if v.motto %}")
        + PARALLEL_MOTTO
        + para("KBCTag", "{%p endif %}")
        + xml[motto_at + len(PARALLEL_MOTTO) :]
    )
    # The parallel block comes first in the document: its issuing body is the first one.
    body_at = xml.index(BODY)
    tag_at = body_at + len(BODY)
    assert xml.startswith(IF_DECREE30, tag_at), xml[tag_at : tag_at + 200]
    return xml[:tag_at] + PARALLEL_MARK + xml[tag_at + len(IF_DECREE30) :]


def _patch_sequential(xml: str) -> str:
    """The sequential Decree 30 header: the star under a Party body, the motto only when
    there is one."""
    if SEQUENTIAL_MARK in xml:
        return xml
    # The issuing body in the Decree 30 header: "BODY RULE" in the cell beside the title.
    title_at = xml.index(TITLE)
    body_at = xml.rindex(BODY, 0, title_at)
    rule_at = body_at + len(BODY)
    assert xml.startswith(RULE_AFTER_BODY, rule_at), xml[rule_at : rule_at + 200]
    rule_end = xml.index("</w:p>", rule_at) + len("</w:p>")
    rule = xml[rule_at:rule_end]
    wrapped = SEQUENTIAL_MARK + rule + para("KBCTag", "{%p endif %}")
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


if __name__ == "__main__":
    patch_document(Path(sys.argv[1]), patch)
