"""Values LibreOffice writes into a template it saves that Word's own validator refuses.

A clerk who opens a template in LibreOffice and saves it gets a file LibreOffice reads back
fine, but with a few values outside what Microsoft 365 accepts (``openxml-audit`` reports
them in every document built from it). Each is mapped here to the value Word writes for the
same meaning, before rendering, so a re-saved template builds the same valid file:

* ``w:lvlJc w:val="start"``/``"end"`` (ISO strict names) → ``left``/``right``;
* ``w:cantSplit``/``w:tblHeader``/``w:hidden`` of a table row with ``w:val="true"``/``"false"``
  → ``on``/``off`` (these elements take only the latter);
* ``w:docGrid w:charSpace`` written as an unsigned 32-bit number (4294959103 for -8193) → signed;
* ``w:charset w:characterSet`` (``utf-8``, ``windows-1252``): an optional IANA name, mostly
  outside the few Word knows → dropped, as Word writes it (the ``w:val`` code stays).
"""

from __future__ import annotations

from lxml import etree

from kbc_docs.render.docx.ooxml import w

__all__ = ["word_values"]

_JC = {"start": "left", "end": "right"}
_ON_OFF_ONLY = {w("cantSplit"), w("tblHeader"), w("hidden")}
_ON_OFF = {"true": "on", "1": "on", "false": "off", "0": "off"}


def word_values(root: etree._Element) -> bool:
    """Rewrite the values above in one part; True if anything changed."""
    changed = False
    val = w("val")
    for el in root.iter(w("lvlJc")):
        if el.get(val) in _JC:
            el.set(val, _JC[el.get(val)])
            changed = True
    for row in root.iter(w("trPr")):
        for el in row:
            if el.tag in _ON_OFF_ONLY and el.get(val) in _ON_OFF:
                el.set(val, _ON_OFF[el.get(val)])
                changed = True
    for el in root.iter(w("docGrid")):
        space = el.get(w("charSpace"), "")
        if space.isdigit() and int(space) > 2**31 - 1:
            el.set(w("charSpace"), str(int(space) - 2**32))
            changed = True
    for el in root.iter(w("charset")):
        if el.get(w("characterSet")) is not None:
            del el.attrib[w("characterSet")]
            changed = True
    return changed
