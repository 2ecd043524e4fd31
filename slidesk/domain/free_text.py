"""Free text that must not identify a patient: location, kit, centre and every reason.

The record is pseudonymised (a study ID names the subject). A number that passes the Dutch
citizen service number's 11-test (BSN, "elfproef") is refused in these fields; a date of birth
or a name-like pattern ("Jan Jansen, geb. 01-02-1950") is a warning for the person to look at,
since a date or a colleague's name can be legitimate. Standard library only.
"""

from __future__ import annotations

import re

from slidesk.domain.errors import ValidationError
from slidesk.domain.subject import passes_eleven_test
from slidesk.domain.values import clean_text
from slidesk.i18n import _

# A BSN as people write it: 9 digits (8 with the leading zero dropped), or grouped 4.2.3 / 3.3.3.
_BSN = re.compile(
    r"(?<![\d.])(\d{9}|\d{8}|\d{4}[. ]\d{2}[. ]\d{3}|\d{3}[. ]\d{3}[. ]\d{3})(?![\d]|\.\d)"
)
_DATE = re.compile(
    r"(?<!\d)(\d{1,2}[-/.]\d{1,2}[-/.](\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})(?!\d)"
    r"|\b\d{1,2}\s+(jan|feb|mrt|maa|apr|mei|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*\.?\s+\d{4}\b",
    re.IGNORECASE,
)
_BIRTH_WORDS = re.compile(
    r"\b(geb\.|geboren|geboortedatum|born|d\.?o\.?b\.?|date of birth)", re.IGNORECASE
)
_NAME_WORD = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|in 't|op|v\.d\.)"
_TITLE_NAME = re.compile(  # a title, then a capitalised name: "mevr. De Vries", "dhr. J. Jansen"
    r"\b(?i:dhr|mevr|mw|mr|mrs|ms|mevrouw|meneer|patiënt|patient|pt)\.?\s+((?:[A-Z]\.)+\s*)?"
    rf"(?:{_PARTICLE}\s+)*{_NAME_WORD}"
)
_FULL_NAME = re.compile(
    rf"\b{_NAME_WORD}\s+(?:{_PARTICLE}\s+)+{_NAME_WORD}\b"  # Jan van Dijk
    rf"|\b{_NAME_WORD}\s+{_NAME_WORD}\s*,"  # Jan Jansen, …
    rf"|\b(?:[A-Z]\.){{1,3}}\s*(?:{_PARTICLE}\s+)*{_NAME_WORD}\b"  # J.P. Jansen
)


def passes_bsn_11_test(digits: str) -> bool:
    """The BSN "elfproef" (`subject.passes_eleven_test`); eight digits are read with the
    leading zero people drop."""
    return len(digits) in (8, 9) and passes_eleven_test(digits.zfill(9))


def bsn_numbers(text: str) -> tuple[str, ...]:
    """The numbers in `text` that pass the BSN 11-test, as written."""
    found = []
    for match in _BSN.finditer(text):
        written = match.group(1)
        if passes_bsn_11_test(re.sub(r"[. ]", "", written)):
            found.append(written)
    return tuple(found)


def refuse_bsn(text: str | None, what: str) -> None:
    """Refuse free text holding a number that passes the BSN 11-test."""
    if text and bsn_numbers(text):
        raise ValidationError(
            _(
                "{what} holds a number that could be a citizen service number (BSN). The record "
                "must not identify the patient: remove it (a kit or lot number is written with "
                "its letters, as on the label)."
            ).format(what=what)
        )


def identifying_warnings(text: str | None, what: str) -> tuple[str, ...]:
    """Why `text` may identify a person: a date (of birth) or a name-like pattern; () if none."""
    if not text:
        return ()
    warnings = []
    if _DATE.search(text) or _BIRTH_WORDS.search(text):
        warnings.append(
            _("{what} contains a date or 'born': the record must not hold a date of birth.").format(
                what=what
            )
        )
    if _TITLE_NAME.search(text) or _FULL_NAME.search(text):
        warnings.append(
            _(
                "{what} looks as if it names a person: the record must not identify the patient."
            ).format(what=what)
        )
    return tuple(warnings)


def free_text(
    value: str | None, what: str, *, max_len: int = 500, required: bool = False
) -> str | None:
    """`clean_text` for a field that must not identify the patient: a BSN is refused."""
    text = clean_text(value, what, max_len=max_len, required=required)
    refuse_bsn(text, what)
    return text
