"""Subject identifiers: pseudonymised study IDs only. Standard library only."""

from __future__ import annotations

import re

from slidesk.domain.errors import ValidationError

_NINE_DIGITS = re.compile(r"\d{9}")


def passes_eleven_test(digits: str) -> bool:
    """The Dutch citizen service number (BSN) check: weights 9..2 and -1, sum divisible by 11."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    return total % 11 == 0 and total != 0


def validate_study_id(study_id: str, pattern: str, example: str) -> str:
    """Return the normalised study ID, or refuse it with the reason (pseudonymisation first)."""
    cleaned = study_id.strip().upper()
    if not cleaned:
        raise ValidationError("Study ID is empty.")
    digits = re.sub(r"[\s.\-]", "", cleaned)
    for run in _NINE_DIGITS.findall(digits):
        if passes_eleven_test(run):
            raise ValidationError(
                "This looks like a citizen service number (BSN). Never enter a BSN, name or "
                "hospital number: use the pseudonymised study ID from the subject identification "
                "log."
            )
    if not re.fullmatch(pattern, cleaned):
        raise ValidationError(
            f"Study ID '{cleaned}' does not match the study's format (for example {example})."
        )
    return cleaned
