"""HTML to PDF with xhtml2pdf and the DejaVu fonts shipped in ``static/fonts``."""

import io
from pathlib import Path

from xhtml2pdf import pisa

FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"


class RenderError(RuntimeError):
    """xhtml2pdf could not produce the PDF."""


def html_to_pdf(html: str) -> bytes:
    """Render XHTML to PDF bytes; ``@font-face`` URLs may point into ``FONT_DIR``."""
    output = io.BytesIO()
    # xhtml2pdf reads local files only below ``path``: let it reach the fonts.
    result = pisa.CreatePDF(html, dest=output, encoding="utf-8", path=str(FONT_DIR) + "/")
    if result.err:
        raise RenderError(f"xhtml2pdf reported {result.err} error(s)")
    return output.getvalue()
