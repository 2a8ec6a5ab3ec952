"""Re-runnable: teach report.docx the Lao place of the number and date (docs/form-sources.md).

In the centred (Khmer/Lao) header a version whose view says ``v.date_at_top`` prints the number
and the place-and-date line in the right-hand cell, opposite the issuing bodies, and not again
above the signatures; other versions keep the number under the bodies and the date block above
the signatures. Idempotent: a template that already has the tags is left as it is.

    python scripts/lao_date_docx_template.py toolkit/kbc_docs/data/templates/report.docx
"""

import sys
from pathlib import Path

from docx_patch import para, patch_document

NUMBER = para("KBCNumber", '{{ v.number or "" }}')
EMPTY_RIGHT = '<w:p><w:pPr><w:pStyle w:val="KBCNumber"/></w:pPr></w:p></w:tc></w:tr></w:tbl>'
DATES_TAG = '{%p if layouts[v.lang] != "decree30" %}'
LUNAR_TAG = "{%p if v.lunar_date %}"


def patch(xml: str) -> str:
    if "v.date_at_top" in xml:
        return xml
    # The centred header: the number closes the bodies' cell, an empty cell follows.
    right_at = xml.index(EMPTY_RIGHT)
    right_end = right_at + len(EMPTY_RIGHT)
    number_at = xml.rindex(NUMBER, 0, right_at)
    left = para("KBCTag", "{%p if not v.date_at_top %}") + NUMBER + para("KBCTag", "{%p endif %}")
    right = (
        para("KBCTag", "{%p if v.date_at_top %}")
        + NUMBER
        + para("KBCNumber", "{{ v.date_line }}")
        + para("KBCTag", "{%p endif %}")
        + EMPTY_RIGHT  # a cell needs a paragraph of its own
    )
    middle = xml[number_at + len(NUMBER) : right_at]
    xml = xml[:number_at] + left + middle + right + xml[right_end:]
    # The date block above the signatures of a sequential version.
    lunar_at = xml.index(LUNAR_TAG, right_at)
    tag_at = xml.rindex(DATES_TAG, 0, lunar_at)
    new_tag = '{%p if layouts[v.lang] != "decree30" and not v.date_at_top %}'
    return xml[:tag_at] + new_tag + xml[tag_at + len(DATES_TAG) :]


if __name__ == "__main__":
    patch_document(Path(sys.argv[1]), patch)
