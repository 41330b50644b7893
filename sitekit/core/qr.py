"""QR codes for things to print (event posters, the rights card): inline
SVG, so a printed page needs no further request and nothing is lost when
it is saved. Shared by the events plugin (posters) and reach (the card)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> str:
    """A QR code that opens ``url`` (error level M), as SVG markup without a
    width or height of its own: the stylesheet sets them. The page labels
    it, so the SVG is hidden from screen readers."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", border=4, omitsize=True, xmldecl=False, svgclass="qr", dark="#000")
    svg = out.getvalue().decode("ascii")
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
