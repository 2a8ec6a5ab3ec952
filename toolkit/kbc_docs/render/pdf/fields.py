"""Empty signature fields over each signer's signature space.

So that each leader can sign in Acrobat or Foxit (or with :mod:`kbc_docs.sign`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, String


@dataclass(frozen=True)
class SignatureSpot:
    """Where a signer signs: field name (the party id), page index, rectangle in PDF points."""

    name: str
    page: int
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1 from the bottom left


def add_signature_fields(doc: pikepdf.Pdf, spots: Sequence[SignatureSpot]) -> None:
    """Add one empty, printable signature field per spot, with an empty appearance.

    PDF/A wants an appearance stream on every widget, even an unsigned one. The widgets are
    deliberately not put in the structure tree: a signature fills its widget, and pyHanko's
    check of what changed after an earlier signature does not recognise a widget reachable
    from the structure tree, so the first party's signature would be reported as followed by
    unexplained changes once the second party signs.
    """
    if not spots:
        return
    acroform = doc.Root.get("/AcroForm")
    if acroform is None:
        acroform = doc.Root.AcroForm = doc.make_indirect(Dictionary(Fields=Array()))
    for spot in spots:
        page = doc.pages[spot.page]
        x0, y0, x1, y1 = spot.rect
        appearance = doc.make_stream(
            b"",
            Type=Name.XObject,
            Subtype=Name.Form,
            BBox=Array([0, 0, round(x1 - x0, 3), round(y1 - y0, 3)]),
            Resources=Dictionary(),
        )
        widget = doc.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Widget,
                FT=Name.Sig,
                T=String(spot.name),
                TU=String(f"Signature: {spot.name}"),
                Rect=Array([round(v, 3) for v in spot.rect]),
                F=4,  # Print
                P=page.obj,
                AP=Dictionary(N=appearance),
            )
        )
        if "/Annots" not in page.obj:
            page.obj.Annots = Array()
        page.obj.Annots.append(widget)
        acroform.Fields.append(widget)
