"""The checkpoint line format and what a witness says about a chain (no database)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from slidesk.integrity.checkpoint import (
    Checkpoint,
    CheckpointFormatError,
    CheckpointSigner,
    SignedCheckpoint,
    parse_line,
)
from slidesk.integrity.witness import append, compare, last_number, read_witness
from slidesk.reports.certificates import installation_key

AT = datetime(2026, 12, 3, 9, 14, tzinfo=UTC)


@pytest.fixture(scope="module")
def signer(tmp_path_factory: pytest.TempPathFactory) -> CheckpointSigner:
    key = installation_key(tmp_path_factory.mktemp("keys"))
    return CheckpointSigner.from_pkcs12(key.pkcs12_data, key.passphrase)


def _cp(number: int, seq: int, head: str = "a" * 64) -> Checkpoint:
    return Checkpoint("db-1", number, seq, head, AT, 60, "manual")


def test_a_line_reads_back_as_the_checkpoint_it_was_and_its_signature_holds(
    signer: CheckpointSigner,
) -> None:
    signed = signer.sign(_cp(17, 412))
    line = signed.to_line()
    assert "\n" not in line
    data = json.loads(line)
    assert (data["format"], data["v"], data["n"], data["seq"]) == ("slidesk-checkpoint", 1, 17, 412)
    assert data["at"] == "2026-12-03T09:14:00.000000Z"
    back = parse_line(line)
    assert back == signed
    assert back.signature_problem() is None
    assert back.checkpoint.local_text() == "2026-12-03 10:14 +01:00"


@pytest.mark.parametrize(
    ("field", "value"), [("seq", 411), ("head", "b" * 64), ("db", "db-2"), ("reason", "hourly")]
)
def test_a_changed_field_breaks_the_signature(
    signer: CheckpointSigner, field: str, value: object
) -> None:
    data = json.loads(signer.sign(_cp(17, 412)).to_line())
    data[field] = value
    assert "does not verify" in (parse_line(json.dumps(data)).signature_problem() or "")


def test_an_rsa_key_of_an_institution_signs_too() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hospital key")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(AT)
        .not_valid_after(AT + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    rsa_signer = CheckpointSigner(key, cert.public_bytes(serialization.Encoding.DER))
    back = parse_line(rsa_signer.sign(_cp(1, 1)).to_line())
    assert back.signature_problem() is None
    assert back.signer() == "CN=Hospital key"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "not a JSON object"),
        ('{"format":"other"}', "not a slidesk-checkpoint line"),
        ('{"format":"slidesk-checkpoint","v":2}', "format version 2 is not known here"),
        ('{"format":"slidesk-checkpoint","v":1}', "missing db"),
    ],
)
def test_a_line_of_another_format_is_refused_with_its_reason(line: str, problem: str) -> None:
    with pytest.raises(CheckpointFormatError, match=problem):
        parse_line(line)


def test_a_certificate_swapped_under_its_fingerprint_is_refused(signer: CheckpointSigner) -> None:
    data = json.loads(signer.sign(_cp(1, 1)).to_line())
    data["cert_sha256"] = "0" * 64
    with pytest.raises(CheckpointFormatError, match="not the fingerprint"):
        parse_line(json.dumps(data))


def test_a_witness_file_is_appended_to_and_a_torn_last_line_is_named(
    signer: CheckpointSigner, tmp_path: Path
) -> None:
    path = tmp_path / "usb" / "w.checkpoints"
    assert last_number(path) == 0
    append(path, [signer.sign(_cp(1, 10)), signer.sign(_cp(2, 20))])
    with path.open("a") as handle:
        handle.write('{"format":"slidesk-che')  # power lost while appending
    lines = read_witness(path)
    assert [w.checkpoint.checkpoint.number for w in lines if w.checkpoint] == [1, 2]
    assert lines[-1].problem == "incomplete last line"
    append(path, [signer.sign(_cp(3, 30))])
    assert last_number(path) == 3
    assert read_witness(path)[-1].checkpoint is not None


def test_the_last_number_is_read_from_the_end_of_a_long_witness(
    signer: CheckpointSigner, tmp_path: Path
) -> None:
    path = tmp_path / "w.checkpoints"
    append(path, [signer.sign(_cp(n, n)) for n in range(1, 201)])
    assert path.stat().st_size > 4096
    assert last_number(path, tail_bytes=4096) == 200
    with path.open("a") as handle:
        handle.write("x" * 5000 + "\n")  # a damaged end: the whole file is read instead
    assert last_number(path, tail_bytes=4096) == 200


def _heads(n: int, changed_from: int | None = None) -> dict[int, str]:
    return {
        s: (f"{s:064x}" if changed_from is None or s < changed_from else f"{s:063x}f")
        for s in range(n + 1)
    }


def _witnessed(signer: CheckpointSigner, *seqs: int) -> list[tuple[str, SignedCheckpoint]]:
    return [("witnessed in W", signer.sign(_cp(i, s, f"{s:064x}"))) for i, s in enumerate(seqs, 1)]


def test_a_rewrite_is_named_from_the_last_checkpoint_that_still_holds(
    signer: CheckpointSigner,
) -> None:
    witnessed = _witnessed(signer, 100, 200, 300)
    assert compare(witnessed, _heads(300), 300) == []
    found = compare(witnessed, _heads(300, changed_from=150), 300)
    assert found == [
        "entries 101–200 were rewritten after checkpoint #2 of 2026-12-03 10:14 +01:00 "
        "witnessed in W",
        "entries 101–300 were rewritten after checkpoint #3 of 2026-12-03 10:14 +01:00 "
        "witnessed in W",
    ]


def test_a_deleted_tail_is_named_with_where_the_chain_ends(signer: CheckpointSigner) -> None:
    witnessed = _witnessed(signer, 100, 200)
    assert compare(witnessed, _heads(100), 100) == [
        "the chain ends at 100 but checkpoint #2 of 2026-12-03 10:14 +01:00 witnessed 200 "
        "(witnessed in W): entries 101–200 were deleted"
    ]
    assert compare(witnessed, _heads(150, changed_from=50), 150)[-1].endswith(
        "entries 151–200 are missing (deleted), and entries 1–150 may have been rewritten: "
        "no witnessed checkpoint vouches for them"
    )
