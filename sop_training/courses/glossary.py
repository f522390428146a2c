"""The glossary of terms, read from ``courses/glossary.yaml``."""

from functools import lru_cache
from pathlib import Path

from flask import current_app

from ..content_files import read_yaml
from ..markup import render_markdown


def glossary_path() -> Path:
    """Return the path of the glossary file."""
    return Path(current_app.config["COURSES_DIR"]) / "glossary.yaml"


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> list[dict]:
    data = read_yaml(Path(path)) or {}
    terms = []
    for item in data.get("terms", []):
        terms.append(
            {
                "slug": item["slug"],
                "term": dict(item["term"]),
                "definition": {k: render_markdown(v) for k, v in item["definition"].items()},
                "source": item.get("source", ""),
            }
        )
    return sorted(terms, key=lambda t: t["term"]["en"].lower())


def load_glossary() -> list[dict]:
    """Return the glossary terms (empty when the file is absent)."""
    path = glossary_path()
    if not path.is_file():
        return []
    return _load(str(path), path.stat().st_mtime)
