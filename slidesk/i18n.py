"""Translatable text in the core: gettext from the standard library, never Qt.

Screens translate with Qt (`self.tr`); the core (error messages, report and export labels) with
this module. Catalogues are compiled at build time into `resources/locale/<lang>/LC_MESSAGES/
slidesk.mo`; until one is installed every message is its English source text. Logs, stored
values and `--help` are not translated.
"""

from __future__ import annotations

import gettext

_translations: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    """The message in the current language (English until a catalogue is installed)."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark a constant for translation; translate it with `_()` where it is shown."""
    return message


def install(translations: gettext.NullTranslations) -> None:
    """Use `translations` for every message from now on (the language setting calls this)."""
    global _translations
    _translations = translations
