"""The key that seals issued PDFs: a per-installation key, or an institution's PKCS#12 file.

On first use an EC P-256 key and a self-signed certificate are created in the user data folder
as `pdf-signing.p12`, protected by a random passphrase kept in `pdf-signing.passphrase` (mode
0600, owner only). A file rather than the OS keyring because it works identically offline on
every platform and in a frozen bundle, with no desktop secret service, and because the threat it
answers is document integrity (tamper evidence of the issued PDF): the identity and intent of
the people signing are carried by the Part 11 electronic signatures in the database, printed in
the document, not by this key. Anyone with the same OS account can read the file; an institution
that needs a stronger key uses its own PKCS#12 (settings file `pdf-signing.toml`:
`pkcs12 = "/path/file.p12"` and `passphrase_file = "/path/file"`).

No Qt, no database. Never imports oscrypto (broken with OpenSSL 3).
"""

from __future__ import annotations

import os
import secrets
import socket
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

P12_NAME = "pdf-signing.p12"
PASSPHRASE_NAME = "pdf-signing.passphrase"  # noqa: S105 - a file name, not a secret
SETTINGS_NAME = "pdf-signing.toml"
_VALIDITY = timedelta(days=20 * 365)


class SigningKeyError(RuntimeError):
    """The PDF-signing key cannot be loaded or created; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A PKCS#12 archive and its passphrase, ready for pyHanko."""

    pkcs12_data: bytes
    passphrase: bytes
    source: str  # "installation" or the institution file's path
    subject: str

    def certificate(self) -> x509.Certificate:
        _key, cert, _others = pkcs12.load_key_and_certificates(self.pkcs12_data, self.passphrase)
        assert cert is not None
        return cert


def load_signing_key(folder: Path | None = None) -> SigningKey:
    """The institution's key if the settings name one, else this installation's own key."""
    folder = folder or _default_folder()
    settings = folder / SETTINGS_NAME
    if settings.exists():
        return _institution_key(settings)
    return installation_key(folder)


def installation_key(folder: Path) -> SigningKey:
    """Load the per-installation key, creating it on first use."""
    p12 = folder / P12_NAME
    secret = folder / PASSPHRASE_NAME
    if not p12.exists():
        _create(folder, p12, secret)
    try:
        passphrase = secret.read_bytes().strip()
        data = p12.read_bytes()
        _key, cert, _ = pkcs12.load_key_and_certificates(data, passphrase)
    except (OSError, ValueError) as exc:
        raise SigningKeyError(
            f"The PDF-signing key in {folder} cannot be read ({exc}). Restore "
            f"{P12_NAME} and {PASSPHRASE_NAME} from backup, or remove both to create a new key "
            "(earlier PDFs stay verifiable with their embedded certificate)."
        ) from None
    assert cert is not None
    return SigningKey(data, passphrase, "installation", cert.subject.rfc4514_string())


def _create(folder: Path, p12: Path, secret: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    host = socket.gethostname()[:40] or "workstation"
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"SLI Desk installation on {host}"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SLI Desk (self-signed)"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    passphrase = secrets.token_urlsafe(32).encode("ascii")
    data = pkcs12.serialize_key_and_certificates(
        b"SLI Desk PDF signing",
        key,
        cert,
        None,
        serialization.BestAvailableEncryption(passphrase),
    )
    _publish(secret, passphrase + b"\n", p12, data)


_KEY_WAIT_S = 10.0
"""How long a second creator waits for the first one's key file to appear."""


def _publish(secret: Path, passphrase: bytes, p12: Path, data: bytes) -> None:
    """Put a new key pair in place so that two programs (or threads) creating the key at once
    end with one pair, and nobody reads a half-written key file.

    Both files are written under names of their own first. The passphrase file is linked into
    place (fails if it exists: another creator won), then the key file is renamed over (it
    appears whole; its presence means the pair is ready). A creator that lost waits for the
    winner's key file."""
    token = secrets.token_hex(8)
    tmp_secret = secret.with_name(f".{secret.name}.{token}")
    tmp_p12 = p12.with_name(f".{p12.name}.{token}")
    _write_private(tmp_secret, passphrase)
    _write_private(tmp_p12, data)
    try:
        os.link(tmp_secret, secret)
    except FileExistsError:
        tmp_p12.unlink(missing_ok=True)
        _wait_for(p12)
        return
    finally:
        tmp_secret.unlink(missing_ok=True)
    os.replace(tmp_p12, p12)


def _wait_for(p12: Path) -> None:
    waited = 0.0
    while not p12.exists():
        if waited >= _KEY_WAIT_S:
            raise SigningKeyError(
                f"The PDF-signing key in {p12.parent} is incomplete ({p12.name} is missing). "
                f"Restore {P12_NAME} and {PASSPHRASE_NAME} from backup, or remove both to "
                "create a new key."
            )
        time.sleep(0.05)  # another program is writing it: a few milliseconds
        waited += 0.05


def _write_private(path: Path, data: bytes) -> None:
    """Owner-only file, created with 0600 from the start (no window with wider rights)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _institution_key(settings: Path) -> SigningKey:
    try:
        conf = tomllib.loads(settings.read_text(encoding="utf-8"))
        p12 = Path(conf["pkcs12"]).expanduser()
        passphrase = Path(conf["passphrase_file"]).expanduser().read_bytes().strip()
        data = p12.read_bytes()
        _key, cert, _ = pkcs12.load_key_and_certificates(data, passphrase)
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise SigningKeyError(
            f"{settings}: the institution's PDF-signing key cannot be used ({exc}). It needs "
            "'pkcs12' (path of the .p12 file) and 'passphrase_file'."
        ) from None
    if cert is None:
        raise SigningKeyError(f"{p12}: the PKCS#12 file holds no certificate.")
    return SigningKey(data, passphrase, str(p12), cert.subject.rfc4514_string())


def _default_folder() -> Path:
    from slidesk.paths import user_data_dir

    return user_data_dir()
