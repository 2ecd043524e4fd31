"""Seal an issued PDF with a PAdES baseline B-B signature (pyHanko), and check one.

No timestamp: there is no time-stamping authority offline at the bedside. Without a trusted
RFC 3161 timestamp the signing time in the PDF is only the signing computer's claim, and the
seal cannot be shown to predate the certificate's expiry or revocation (no long-term
validation). The seal still proves that the file has not changed since it was issued, and by
which installation (or institution) key it was issued; who signed the record, when and with what
meaning is carried by the electronic signatures printed in it and kept in the database.

No Qt, no database. Never imports oscrypto (broken with OpenSSL 3).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from slidesk.reports.certificates import SigningKey
from slidesk.reports.pdf import KEYWORD_DOC, KEYWORD_HASH

log = logging.getLogger(__name__)
FIELD_NAME = "SLIDeskSeal"


@dataclass(frozen=True, slots=True)
class PdfCheck:
    """What `slidesk verify-pdf` reports about one file."""

    signed: bool
    signer: str | None
    signing_time: datetime | None
    intact: bool  # the signed bytes are unchanged
    covers_whole_file: bool  # nothing was appended after signing
    trusted: bool  # the signer's certificate is this installation's (or a given) trust root
    record_hash: str | None  # from the PDF's keywords
    document_id: str | None
    problem: str | None

    @property
    def unmodified(self) -> bool:
        return self.signed and self.intact and self.covers_whole_file


def sign_pdf(pdf: bytes, key: SigningKey, *, reason: str, location: str) -> bytes:
    """The PDF with an incremental PAdES B-B signature over all of it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    signer = signers.SimpleSigner.load_pkcs12_data(
        key.pkcs12_data, other_certs=[], passphrase=key.passphrase
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    signed: bytes = out.getvalue()
    return signed


def check_pdf(data: bytes, trust: list[SigningKey] | None = None) -> PdfCheck:
    """Validate the seal and read the embedded record hash. Never raises for a bad file."""
    record_hash, document_id = _keywords(data)
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return PdfCheck(
                False,
                None,
                None,
                False,
                False,
                False,
                record_hash,
                document_id,
                "the PDF carries no digital signature",
            )
        roots = [_asn1_cert(k) for k in trust or []]
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        sig = signatures[-1]
        # An untrusted self-signed root makes pyHanko log a traceback; the status says it.
        quiet = logging.getLogger("pyhanko")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)
        try:
            status = validate_pdf_signature(sig, context)
        finally:
            quiet.setLevel(level)
        from pyhanko.sign.validation.status import SignatureCoverageLevel

        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        subject = status.signing_cert.subject.human_friendly if status.signing_cert else None
        return PdfCheck(
            signed=True,
            signer=subject,
            signing_time=status.signer_reported_dt,
            intact=bool(status.intact and status.valid),
            covers_whole_file=whole,
            trusted=bool(status.trusted),
            record_hash=record_hash,
            document_id=document_id,
            problem=None if status.intact else "the signed content was modified",
        )
    except Exception as exc:  # a damaged file: report it, do not crash the caller
        log.info("PDF signature check failed: %s", exc)
        return PdfCheck(
            True,
            None,
            None,
            False,
            False,
            False,
            record_hash,
            document_id,
            f"the signature cannot be validated ({type(exc).__name__}: {exc})",
        )


def _asn1_cert(key: SigningKey):  # type: ignore[no-untyped-def]
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(key.certificate().public_bytes(Encoding.DER))


def _keywords(data: bytes) -> tuple[str | None, str | None]:
    """The record hash and document ID the report wrote into the PDF's keywords."""
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        info = PdfFileReader(io.BytesIO(data), strict=False).trailer_view.get("/Info")
        if info is not None and hasattr(info, "get_object"):
            info = info.get_object()
        words = str(info.get("/Keywords", "")) if info is not None else ""
    except Exception:  # an unreadable file has no trustworthy keywords
        return None, None
    record_hash = document_id = None
    for word in words.replace(";", ",").replace(" ", ",").split(","):
        if word.startswith(KEYWORD_HASH):
            record_hash = word[len(KEYWORD_HASH) :]
        elif word.startswith(KEYWORD_DOC):
            document_id = word[len(KEYWORD_DOC) :]
    return record_hash, document_id
