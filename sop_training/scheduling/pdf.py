"""The printable sign-in sheet of a session."""

from flask import render_template

from ..pdfs import FONT_DIR, html_to_pdf


def sign_in_sheet(session, rows: list[dict], when: str) -> bytes:
    """Render the sheet: one line per person (name, agency) with a signature column."""
    html = render_template(
        "sessions/sign_in_pdf.html",
        session=session,
        rows=rows,
        when=when,
        font_dir=FONT_DIR.as_posix(),
    )
    return html_to_pdf(html)
