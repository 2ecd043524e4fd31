"""Signed checkpoints of the audit chain's head, and their one-line text format. No Qt, no database.

A checkpoint says: "database D's audit chain had, at sequence number S, the head hash H, at UTC
time T", signed with the installation's key (the one that seals PDFs, `reports.certificates`).
Kept outside the database by witnesses (`slidesk.integrity.witness`), it lets `slidesk verify`
name a
history rewritten after it was taken, even when every hash of the chain was recomputed.

Format `slidesk-checkpoint` version 1: one JSON object per line (UTF-8, no BOM, `\\n` ended):

    {"format":"slidesk-checkpoint","v":1,"db":"<database identity>","n":17,"seq":412,
     "head":"<64 hex>","at":"2026-12-03T09:14:00.000000Z","offset_min":60,"reason":"signature",
     "cert_sha256":"<64 hex>","cert":"<base64 DER certificate>","sig":"<base64 signature>"}

`sig` is over the UTF-8 bytes of `audit.canonical_json` of every field except `cert` and `sig`
(so the certificate is bound by its SHA-256 fingerprint): ECDSA with SHA-256 for an EC key
(the installation's own, P-256), PKCS#1 v1.5 with SHA-256 for an institution's RSA key.
`n` numbers the checkpoints of one database from 1; `offset_min` is the site's UTC offset at
`at`, for showing the time as the site's clock read it. A restored copy's first checkpoint
(reason `restore`) also has `"origin":"<original identity> #<backup checkpoint number>"`,
signed like the rest; other lines have no `origin` key. A reader refuses a line of another
format or a higher version rather than guess.

Must not import Qt, SQLAlchemy or the services.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from slidesk.domain.checkpoints import CheckpointReason as Reason
from slidesk.integrity.chain import canonical_json, canonical_value

__all__ = ["Checkpoint", "CheckpointFormatError", "CheckpointSigner", "Reason", "SignedCheckpoint"]

FORMAT = "slidesk-checkpoint"
VERSION = 1
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_SIGNED_FIELDS = ("format", "v", "db", "n", "seq", "head", "at", "offset_min", "reason")


class CheckpointFormatError(ValueError):
    """A line that is not a checkpoint of a known format; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """What is vouched for: the chain of `database` had head `head` at entry `seq`."""

    database: str
    number: int
    seq: int
    head: str
    at_utc: datetime
    offset_min: int
    reason: str
    # Only in a restored copy's first checkpoint: "<identity of the original> #<number of the
    # backup's checkpoint>". Signed when present; absent (not null) in every other line.
    origin: str | None = None

    def local_text(self) -> str:
        """The time as the site's clock read it, with its offset: '2026-12-03 10:14 +01:00'."""
        local = self.at_utc.astimezone(UTC) + timedelta(minutes=self.offset_min)
        sign = "+" if self.offset_min >= 0 else "-"
        hours, minutes = divmod(abs(self.offset_min), 60)
        return f"{local:%Y-%m-%d %H:%M} {sign}{hours:02d}:{minutes:02d}"


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    cert_der: bytes
    signature: bytes

    @property
    def cert_sha256(self) -> str:
        return hashlib.sha256(self.cert_der).hexdigest()

    def signed_bytes(self) -> bytes:
        return _signed_bytes(self.checkpoint, self.cert_sha256)

    def to_line(self) -> str:
        """The checkpoint as one line of the witness format (without the newline)."""
        body = _body(self.checkpoint, self.cert_sha256)
        body["cert"] = base64.b64encode(self.cert_der).decode("ascii")
        body["sig"] = base64.b64encode(self.signature).decode("ascii")
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def signature_problem(self) -> str | None:
        """None when the signature verifies with the certificate it carries, else why not."""
        try:
            cert = x509.load_der_x509_certificate(self.cert_der)
        except ValueError:
            return "its certificate cannot be read"
        key = cert.public_key()
        data = self.signed_bytes()
        try:
            if isinstance(key, ec.EllipticCurvePublicKey):
                key.verify(self.signature, data, ec.ECDSA(hashes.SHA256()))
            elif isinstance(key, rsa.RSAPublicKey):
                key.verify(self.signature, data, padding.PKCS1v15(), hashes.SHA256())
            else:
                return f"its certificate's key type ({type(key).__name__}) is not supported"
        except InvalidSignature:
            return "its signature does not verify (the checkpoint was altered or forged)"
        return None

    def signer(self) -> str:
        try:
            return x509.load_der_x509_certificate(self.cert_der).subject.rfc4514_string()
        except ValueError:
            return "?"


def _body(checkpoint: Checkpoint, cert_sha256: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "v": VERSION,
        "db": checkpoint.database,
        "n": checkpoint.number,
        "seq": checkpoint.seq,
        "head": checkpoint.head,
        "at": canonical_value(checkpoint.at_utc),
        "offset_min": checkpoint.offset_min,
        "reason": checkpoint.reason,
        "cert_sha256": cert_sha256,
    } | ({"origin": checkpoint.origin} if checkpoint.origin is not None else {})


def _signed_bytes(checkpoint: Checkpoint, cert_sha256: str) -> bytes:
    return canonical_json(_body(checkpoint, cert_sha256)).encode("utf-8")


@dataclass(frozen=True, slots=True)
class CheckpointSigner:
    """A private key and its certificate, loaded once from the PDF-signing PKCS#12."""

    private_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    cert_der: bytes

    @classmethod
    def from_pkcs12(cls, data: bytes, passphrase: bytes) -> CheckpointSigner:
        key, cert, _others = pkcs12.load_key_and_certificates(data, passphrase)
        if cert is None or not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise ValueError("the PKCS#12 file needs an EC or RSA key with its certificate")
        return cls(key, cert.public_bytes(serialization.Encoding.DER))

    def sign(self, checkpoint: Checkpoint) -> SignedCheckpoint:
        fingerprint = hashlib.sha256(self.cert_der).hexdigest()
        data = _signed_bytes(checkpoint, fingerprint)
        if isinstance(self.private_key, ec.EllipticCurvePrivateKey):
            signature = self.private_key.sign(data, ec.ECDSA(hashes.SHA256()))
        else:
            signature = self.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return SignedCheckpoint(checkpoint, self.cert_der, signature)


def parse_line(line: str) -> SignedCheckpoint:
    """A checkpoint from one witness line; CheckpointFormatError says what is wrong with it."""
    try:
        data = json.loads(line)
    except ValueError:
        raise CheckpointFormatError("not a JSON object") from None
    if not isinstance(data, dict):
        raise CheckpointFormatError("not a JSON object")
    if data.get("format") != FORMAT:
        raise CheckpointFormatError(f"not a {FORMAT} line")
    if data.get("v") != VERSION:
        raise CheckpointFormatError(
            f"format version {data.get('v')!r} is not known here (this reads version {VERSION})"
        )
    missing = [k for k in (*_SIGNED_FIELDS, "cert_sha256", "cert", "sig") if k not in data]
    if missing:
        raise CheckpointFormatError(f"missing {', '.join(missing)}")
    checkpoint = Checkpoint(
        database=_text(data, "db"),
        number=_natural(data, "n"),
        seq=_natural(data, "seq"),
        head=_hex64(data, "head"),
        at_utc=_time(data, "at"),
        offset_min=_integer(data, "offset_min"),
        reason=_text(data, "reason"),
        origin=_text(data, "origin") if "origin" in data else None,
    )
    try:
        cert = base64.b64decode(_text(data, "cert"), validate=True)
        sig = base64.b64decode(_text(data, "sig"), validate=True)
    except (binascii.Error, ValueError):
        raise CheckpointFormatError("cert or sig is not base64") from None
    signed = SignedCheckpoint(checkpoint, cert, sig)
    if _hex64(data, "cert_sha256") != signed.cert_sha256:
        raise CheckpointFormatError("cert_sha256 is not the fingerprint of the certificate given")
    return signed


def _text(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise CheckpointFormatError(f"{key} is not text")
    return value


def _integer(data: dict[str, Any], key: str) -> int:
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise CheckpointFormatError(f"{key} is not a whole number")
    return value


def _natural(data: dict[str, Any], key: str) -> int:
    value = _integer(data, key)
    if value < 0:
        raise CheckpointFormatError(f"{key} is negative")
    return value


def _hex64(data: dict[str, Any], key: str) -> str:
    value = _text(data, key)
    if not _HEX64.match(value):
        raise CheckpointFormatError(f"{key} is not 64 lowercase hex digits")
    return value


def _time(data: dict[str, Any], key: str) -> datetime:
    text = _text(data, key)
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CheckpointFormatError(f"{key} is not a time") from None
    if at.tzinfo is None:
        raise CheckpointFormatError(f"{key} has no UTC offset")
    return at.astimezone(UTC)
