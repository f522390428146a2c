"""Serials and verification codes: random, readable aloud, tolerant of typing slips."""

import re
import secrets

# Crockford's base-32 alphabet: no I, L, O or U, so codes survive being read out or retyped.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_serial(year: int) -> str:
    """Return a serial such as ``SOP-2026-7KQ2M9XD`` (40 random bits)."""
    return f"SOP-{year}-{_random(8)}"


def new_code() -> str:
    """Return a verification code such as ``K7QH-3MZP-XW2D-9TRB`` (80 random bits)."""
    raw = _random(16)
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_code(text: str) -> str | None:
    """Return the code as stored, from what a person typed; None if it cannot be one."""
    raw = re.sub(r"[\s-]", "", text.upper()).translate(_CONFUSABLE)
    if len(raw) != 16 or any(ch not in ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))
