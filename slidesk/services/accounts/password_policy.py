"""The password policy and one-time passwords. No Qt, no database.

A password is checked when it is set (first admin, new account, reset, change), never when it
is typed at sign-in: the sign-in path must treat any input alike so that it reveals nothing.
"""

from __future__ import annotations

import secrets
import unicodedata

from slidesk.domain.errors import ValidationError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
# How many previous passwords a new one may not repeat (ACC-03).
PASSWORD_HISTORY_DEPTH = 5

# The commonest passwords of length ≥ 10 in public breach lists, and the obvious local ones.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "0123456789",
        "qwertyuiop",
        "password1",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "qwerty1234",
        "qwerty12345",
        "iloveyou12",
        "abcdefghij",
        "abc1234567",
        "0987654321",
        "1111111111",
        "0000000000",
        "welkom1234",
        "wachtwoord",
        "wachtwoord1",
        "wachtwoord123",
        "welcome123",
        "welcome1234",
        "letmein123",
        "administrator",
        "admin12345",
        "changeme123",
        "sunshine12",
        "football12",
        "princess12",
        "monkey1234",
        "dragon1234",
        "trustno1234",
        "qazwsxedcrfv",
        "zaq12wsxcde",
        "slidesk123",
        "slidesk2026",
        "umcutrecht",
        "umcutrecht1",
        "sailtrial1",
        "zxcvbnm123",
    }
)

# Letters and digits without look-alikes (no 0/O, 1/l/I), so a one-time password read aloud
# or copied from paper is typed right the first time.
_ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

_POLICY_BASE = (
    f"At least {MIN_PASSWORD_LENGTH} characters, not your username, not a common password"
)
# Shown where a password is changed: a new one may not repeat a recent one (ACC-03).
POLICY_TEXT = f"{_POLICY_BASE}, not one of your last {PASSWORD_HISTORY_DEPTH} passwords."
# Shown where an account gets its first password: it has no earlier ones to compare with.
NEW_ACCOUNT_POLICY_TEXT = f"{_POLICY_BASE}."


_UNTYPABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def check_password_policy(password: str, username: str) -> None:
    """Refuse a new password that is short, common, contains the username or cannot be typed."""
    # Control, format, surrogate, private-use and unassigned characters cannot be typed
    # reliably on another keyboard: a password made with them locks its owner out.
    if any(unicodedata.category(ch) in _UNTYPABLE for ch in password):
        raise ValidationError(
            "The password contains control or invalid characters; use letters, digits, "
            "spaces and punctuation."
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password is too long (at most {MAX_PASSWORD_LENGTH} characters)."
        )
    lowered = password.lower()
    if username and username.lower() in lowered:
        raise ValidationError("The password must not contain the username.")
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        raise ValidationError("This password is too common or too simple; choose another.")


def generate_one_time_password(username: str = "", groups: int = 3, group_length: int = 4) -> str:
    """A random password like 'k7pw-x3nd-q9tb' for an admin to hand over (≈59 bits at 3×4)."""
    while True:
        candidate = "-".join(
            "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(group_length))
            for _ in range(groups)
        )
        try:
            check_password_policy(candidate, username)
        except ValidationError:
            continue  # vanishingly rare (the username appears in it): draw again
        return candidate


def secret_bytes(password: str) -> bytes:
    """Encode typed input for the hasher without ever raising (lone surrogates included).

    Such input can never match a stored password (the policy refuses it when set), but the
    sign-in path must spend the same time on it and fail normally instead of crashing.
    """
    return password.encode("utf-8", "surrogatepass")
