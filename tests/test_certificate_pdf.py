"""Certificate PDFs read back as text: names, courses, serials, Albanian and Serbian letters."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from sop_training.certificates.pdf import PrintedCertificate, render_pdf

from .certificate_helpers import pdf_text, poppler

NAME = "Đurđa Šćepanović-Çelë"


def printed(**changes) -> PrintedCertificate:
    values = {
        "holder_name": NAME,
        "agency_name": "Qendra për Punë Sociale Gjilan/Gnjilane",
        "course_titles": {
            "en": "Identification of victims of trafficking",
            "sq": "Identifikimi i viktimave të trafikimit",
            "sr": "Identifikacija žrtava trgovine ljudima",
        },
        "sop_edition": "Kosovo SOPs (2014)",
        "course_version": 3,
        "score": 86.7,
        "issued_on": date(2026, 11, 23),
        "expires_on": date(2028, 11, 23),
        "serial": "SOP-2026-7KQ2M9XD",
        "code": "K7QH-3MZP-XW2D-9TRB",
        "verify_url": "http://127.0.0.1:5000/verify/K7QH-3MZP-XW2D-9TRB",
        "issuers": ["OSCE Mission in Kosovo", "IOM"],
        "signatory": {"name": "Programme lead", "title": "SOP Training programme"},
    }
    values.update(changes)
    return PrintedCertificate(**values)


@pytest.fixture
def render(app):
    with app.test_request_context():
        yield render_pdf


def test_pdf_holds_name_course_serial_and_code_as_text(render, tmp_path):
    text = pdf_text(render(printed()), tmp_path)
    flat = " ".join(text.split())
    assert NAME in flat
    assert "Identification of victims of trafficking" in flat
    assert "SOP-2026-7KQ2M9XD" in flat and "K7QH-3MZP-XW2D-9TRB" in flat
    assert "Certificate of completion" in flat and "86.7%" in flat
    assert "November 23, 2026" in flat and "November 23, 2028" in flat


def test_every_albanian_and_serbian_letter_survives(render, tmp_path):
    letters = "ÇçËë ČčĆćĐđŠšŽž DžLjNj"
    text = pdf_text(render(printed(holder_name=letters)), tmp_path)
    assert letters in " ".join(text.split())


@pytest.mark.parametrize(
    ("locale", "heading", "title", "month"),
    [
        ("sq", "Certifikatë", "Identifikimi i viktimave të trafikimit", "nëntor"),
        ("sr", "Sertifikat", "Identifikacija žrtava trgovine ljudima", "novembar"),
    ],
)
def test_certificate_follows_the_holders_language(render, tmp_path, locale, heading, title, month):
    flat = " ".join(pdf_text(render(printed(locale=locale)), tmp_path).split())
    assert heading in flat and title in flat and month in flat
    assert "Certificate of completion" not in flat


def test_bilingual_certificate_adds_english(render, tmp_path):
    flat = " ".join(pdf_text(render(printed(locale="sr", is_bilingual=True)), tmp_path).split())
    assert "Sertifikat" in flat and "Certificate of completion" in flat
    assert "Identification of victims of trafficking" in flat


def test_page_is_a4_landscape_and_one_page(render, tmp_path):
    info = poppler("pdfinfo", render(printed()), tmp_path)
    assert re.search(r"Pages:\s+1\b", info)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)


def fonts_drawing_text(data: bytes) -> set[str]:
    """Return the base fonts that actually draw text on the first page."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    names = {k: v.get_object()["/BaseFont"] for k, v in page["/Resources"]["/Font"].items()}
    used, current = set(), None
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"Tf":
            current = names[operands[0]]
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            used.add(current)
    return used


def test_all_text_is_drawn_in_embedded_dejavu(render, tmp_path):
    data = render(printed())
    used = fonts_drawing_text(data)
    assert used and all("DejaVu" in name for name in used), used
    fonts = poppler("pdffonts", data, tmp_path)
    assert all(line.split()[3:4] == ["yes"] for line in fonts.splitlines() if "DejaVu" in line)
