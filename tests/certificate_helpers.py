"""Shared steps for certificate tests: complete a course through the real pages."""

import os
import shutil
import subprocess

import pytest
import sqlalchemy as sa

from sop_training.certificates.models import Certificate
from sop_training.extensions import db

from .test_quiz_attempts import answer_everything, start


def complete_course(client, course, quiz) -> Certificate:
    """Enrol, finish every lesson and pass the quiz as the logged-in user; return the new one."""
    client.post(f"/courses/{course.slug}/enrol")
    for lesson in course.lessons:
        client.post(f"/courses/{course.slug}/lessons/{lesson.slug}/done")
    attempt, _ = start(client, quiz)
    answer_everything(client, attempt)
    client.post(f"/attempts/{attempt.id}/submit")
    return db.session.scalar(sa.select(Certificate).order_by(Certificate.id.desc()))


def poppler(tool: str, data: bytes, tmp_path, *args: str, after: tuple = ()) -> str:
    """Run a poppler-utils tool (pdftotext, pdfinfo, pdffonts) on a PDF; return its output."""
    if shutil.which(tool) is None:
        reason = f"{tool} not found (apt-get install poppler-utils)"
        if os.environ.get("SOP_REQUIRE_E2E") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    command = [tool, *args, str(path), *after]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def pdf_text(data: bytes, tmp_path) -> str:
    """Return the text of a PDF as poppler's pdftotext extracts it."""
    return poppler("pdftotext", data, tmp_path, "-layout", after=("-",))
