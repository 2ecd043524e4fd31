"""Load and validate a trial protocol file (TOML) into frozen dataclasses. No Qt, no database.

Everything trial-specific — sites and their diagram positions, ranges, drugs and limits, the
checklist, the follow-up schedule — lives in the file, so a new protocol needs no code change.
A bad file fails with a message naming the file, the key and the problem.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from slidesk.domain.procedure.checklist import CONFIRMING_ROLES
from slidesk.domain.sedation.vitals import VitalAlarmLimits
from slidesk.domain.users import Role
from slidesk.outcomes import ALGORITHM_VERSION
from slidesk.paths import resource_dir

VIEWS = ("front", "back")
MEDICATION_KINDS = ("analgesic", "sedative", "reversal", "other")
DOSE_UNITS = ("ug", "mg", "g", "mL", "L/min", "IU")


class ProtocolError(ValueError):
    """The protocol file is unusable; the message names file, key and problem."""


@dataclass(frozen=True, slots=True)
class Site:
    number: int
    label: str
    muscle: str
    view: str
    x: Decimal
    y: Decimal


@dataclass(frozen=True, slots=True)
class InjectionSpec:
    depth_min_mm: Decimal
    depth_max_mm: Decimal
    depth_default_mm: Decimal
    volume_ml: Decimal
    volume_min_ml: Decimal
    volume_max_ml: Decimal


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    cells_per_site: int
    syringes_per_kit: int
    kit_pattern: str
    kit_example: str
    syringe_pattern: str
    syringe_example: str
    syringe_format: str
    use_by_minutes: int
    use_by_warning_minutes: int


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    key: str
    text: str
    # The roles that confirm it, each by its own person (slidesk.domain.procedure.checklist).
    confirm_by: tuple[Role, ...]


@dataclass(frozen=True, slots=True)
class Medication:
    key: str
    name: str
    unit: str
    route: str
    kind: str
    increments: tuple[Decimal, ...]
    single_max: Decimal | None
    cumulative_warning: Decimal | None
    cumulative_max: Decimal | None


@dataclass(frozen=True, slots=True)
class SedationSpec:
    scale: str
    vitals_interval_minutes: int
    discharge_aldrete_min: int
    # A sedation score older than this at an injection is shown as stale (per-site sedation).
    score_interval_minutes: int
    # Vital-sign alarm thresholds ([sedation.alarms]); the defaults are the common ones.
    alarms: VitalAlarmLimits = field(default_factory=VitalAlarmLimits)


# Procedure-related adverse-event terms offered as a short list (free text stays possible).
DEFAULT_AE_TERMS = (
    "Injection-site haematoma",
    "Injection-site pain",
    "Injection-site bleeding",
    "Vasovagal reaction",
    "Allergic reaction",
    "Hypotension",
    "Respiratory depression",
    "Desaturation",
    "Nausea",
    "Vomiting",
    "Bradycardia",
    "Injection-site infection",
    "Paraesthesia",
    "Fever",
)


@dataclass(frozen=True, slots=True)
class AdverseEventSpec:
    terms: tuple[str, ...] = DEFAULT_AE_TERMS
    relatedness: tuple[str, ...] = ("unrelated", "unlikely", "possible", "probable", "definite")
    related_from: str = "possible"
    expectedness: tuple[str, ...] = ("expected", "unexpected", "not assessed")
    sae_report_hours: int = 24


@dataclass(frozen=True, slots=True)
class FollowUpVisit:
    month: int
    window_before_days: int
    window_after_days: int


@dataclass(frozen=True, slots=True)
class OutcomeRules:
    """The [outcomes] table: therapy-success thresholds and follow-up instruments."""

    algorithm: str = ALGORITHM_VERSION
    primary_month: int = 6
    rutherford_improvement: int = 1
    vas_improvement_mm: int = 1
    fontaine_walk_cutoff_m: int = 200
    abi_method: str = "higher_ankle"
    eq5d_version: str = "EQ-5D-5L, Dutch, paper"
    rand36_version: str = "RAND-36 1.0, Dutch, paper"


@dataclass(frozen=True, slots=True)
class SignatureMeaning:
    role: str
    meaning: str
    required: bool


@dataclass(frozen=True, slots=True)
class Protocol:
    """One version of a trial protocol, as the app needs it."""

    key: str
    version: str
    title: str
    registry_ids: tuple[str, ...]
    provisional_note: str
    subject_id_pattern: str
    subject_id_example: str
    product: Product
    injection: InjectionSpec
    sites: tuple[Site, ...]
    order: tuple[int, ...]
    checklist: tuple[ChecklistItem, ...]
    site_flags: tuple[str, ...]
    medications: tuple[Medication, ...]
    sedation: SedationSpec
    follow_up: tuple[FollowUpVisit, ...]
    signatures: tuple[SignatureMeaning, ...]
    source: str
    adverse_events: AdverseEventSpec = AdverseEventSpec()
    outcomes: OutcomeRules = OutcomeRules()

    @property
    def site_count(self) -> int:
        return len(self.sites)

    def site(self, number: int) -> Site:
        for site in self.sites:
            if site.number == number:
                return site
        raise KeyError(number)

    def has_site(self, number: int) -> bool:
        return any(s.number == number for s in self.sites)

    def medication(self, key: str) -> Medication | None:
        for med in self.medications:
            if med.key == key:
                return med
        return None


class _Reader:
    """Reads typed values from a TOML table, naming file and key in every error."""

    def __init__(self, source: str, data: Mapping[str, Any], prefix: str = "") -> None:
        self.source = source
        self.data = data
        self.prefix = prefix

    def fail(self, key: str, problem: str) -> ProtocolError:
        return ProtocolError(f"{self.source}: {self.prefix}{key}: {problem}")

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                raise self.fail(key, "is missing")
            return None
        return self.data[key]

    def string(self, key: str, default: str | None = None) -> str:
        value = self._get(key, default is None)
        if value is None:
            return default or ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty text, got {value!r}")
        return value.strip()

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> int:
        value = self._get(key, default is None)
        if value is None:
            assert default is not None
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(key, f"must be between {low} and {high}, got {value}")
        return value

    def decimal(
        self, key: str, low: Decimal, high: Decimal, *, required: bool = True
    ) -> Decimal | None:
        value = self._get(key, required)
        if value is None:
            return None
        return self._to_decimal(key, value, low, high)

    def _to_decimal(self, key: str, value: Any, low: Decimal, high: Decimal) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(key, f"must be a number, got {value!r}")
        try:
            # str() of a TOML float is its shortest repr, so "0.5" stays exactly 0.5
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(key, f"must be a number, got {value!r}") from None
        if not number.is_finite() or not low <= number <= high:
            raise self.fail(key, f"must be between {low} and {high}, got {value}")
        return number

    def decimals(self, key: str, low: Decimal, high: Decimal) -> tuple[Decimal, ...]:
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of numbers, got {value!r}")
        return tuple(self._to_decimal(f"{key}[{i}]", v, low, high) for i, v in enumerate(value))

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self.string(key, default)
        if value not in options:
            raise self.fail(key, f"must be one of {', '.join(options)}, got {value!r}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def pattern(self, key: str) -> str:
        value = self.string(key)
        try:
            re.compile(value)
        except re.error as exc:
            raise self.fail(key, f"is not a valid regular expression ({exc})") from None
        return value

    def table(self, key: str) -> _Reader:
        value = self._get(key, True)
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return _Reader(self.source, value, f"{self.prefix}{key}.")

    def tables(self, key: str, required: bool = True) -> Iterator[_Reader]:
        value = self._get(key, required)
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "must be an array of tables ([[...]])")
        if required and not value:
            raise self.fail(key, "must not be empty")
        for i, item in enumerate(value):
            yield _Reader(self.source, item, f"{self.prefix}{key}[{i}].")


_ZERO = Decimal(0)
_BIG = Decimal(100_000)


def parse_protocol(data: Mapping[str, Any], source: str) -> Protocol:
    """Validate parsed TOML data; `source` names the file in error messages."""
    root = _Reader(source, data)
    head = root.table("protocol")
    inj = root.table("injection")
    injection = InjectionSpec(
        depth_min_mm=_req(inj.decimal("depth_min_mm", _ZERO, Decimal(100))),
        depth_max_mm=_req(inj.decimal("depth_max_mm", _ZERO, Decimal(100))),
        depth_default_mm=_req(inj.decimal("depth_default_mm", _ZERO, Decimal(100))),
        volume_ml=_req(inj.decimal("volume_ml", _ZERO, Decimal(100))),
        volume_min_ml=_req(inj.decimal("volume_min_ml", _ZERO, Decimal(100))),
        volume_max_ml=_req(inj.decimal("volume_max_ml", _ZERO, Decimal(100))),
    )
    if not injection.depth_min_mm <= injection.depth_default_mm <= injection.depth_max_mm:
        raise inj.fail("depth_default_mm", "must lie between depth_min_mm and depth_max_mm")
    if not injection.volume_min_ml <= injection.volume_ml <= injection.volume_max_ml:
        raise inj.fail("volume_ml", "must lie between volume_min_ml and volume_max_ml")

    prod = root.table("product")
    product = Product(
        name=prod.string("name"),
        cells_per_site=prod.integer("cells_per_site", 0, 10**12),
        syringes_per_kit=prod.integer("syringes_per_kit", 1, 1000),
        kit_pattern=prod.pattern("kit_pattern"),
        kit_example=prod.string("kit_example"),
        syringe_pattern=prod.pattern("syringe_pattern"),
        syringe_example=prod.string("syringe_example"),
        syringe_format=prod.string("syringe_format"),
        use_by_minutes=prod.integer("use_by_minutes", 1, 7 * 24 * 60),
        use_by_warning_minutes=prod.integer("use_by_warning_minutes", 0, 7 * 24 * 60),
    )
    if "(?P<kit>" not in product.syringe_pattern or "(?P<n>" not in product.syringe_pattern:
        raise prod.fail("syringe_pattern", "must name the groups (?P<kit>...) and (?P<n>...)")
    if re.fullmatch(product.kit_pattern, product.kit_example) is None:
        raise prod.fail("kit_example", "does not match kit_pattern")
    if re.fullmatch(product.syringe_pattern, product.syringe_example) is None:
        raise prod.fail("syringe_example", "does not match syringe_pattern")
    try:
        built = product.syringe_format.format(kit=product.kit_example, n=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise prod.fail("syringe_format", f"cannot be filled with kit and n ({exc})") from None
    if re.fullmatch(product.syringe_pattern, built) is None:
        raise prod.fail("syringe_format", f"gives {built!r}, which syringe_pattern refuses")

    sites = tuple(_parse_site(r) for r in root.tables("sites"))
    numbers = [s.number for s in sites]
    seen: set[int] = set()
    for i, number in enumerate(numbers):
        if number in seen:
            raise root.fail(f"sites[{i}].number", f"site {number} appears twice")
        seen.add(number)
    labels = [s.label for s in sites]
    if len(set(labels)) != len(labels):
        raise root.fail("sites", "site labels must be unique")

    order_raw = head._get("order", False)
    if order_raw is None:
        order = tuple(numbers)
    else:
        if not isinstance(order_raw, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in order_raw
        ):
            raise head.fail("order", "must be a list of site numbers")
        order = tuple(order_raw)
        if sorted(order) != sorted(numbers):
            missing = sorted(set(numbers) - set(order))
            extra = sorted(set(order) - set(numbers))
            dup = sorted({n for n in order if order.count(n) > 1})
            raise head.fail(
                "order",
                f"must name every site exactly once (missing {missing}, unknown {extra}, "
                f"repeated {dup})",
            )

    checklist = tuple(
        ChecklistItem(key=r.string("key"), text=r.string("text"), confirm_by=_confirm_by(r))
        for r in root.tables("checklist")
    )
    if len({c.key for c in checklist}) != len(checklist):
        raise root.fail("checklist", "item keys must be unique")

    medications = tuple(_parse_medication(r) for r in root.tables("medications"))
    if len({m.key for m in medications}) != len(medications):
        raise root.fail("medications", "medication keys must be unique")

    sed = root.table("sedation")
    sedation = SedationSpec(
        scale=sed.choice("scale", ("MOAA/S", "Ramsay", "RASS")),
        vitals_interval_minutes=sed.integer("vitals_interval_minutes", 1, 120),
        discharge_aldrete_min=sed.integer("discharge_aldrete_min", 0, 10, default=9),
        score_interval_minutes=sed.integer("score_interval_minutes", 1, 120),
        alarms=_parse_alarms(sed),
    )
    follow_up = tuple(
        FollowUpVisit(
            month=r.integer("month", 0, 240),
            window_before_days=r.integer("window_before_days", 0, 365),
            window_after_days=r.integer("window_after_days", 0, 365),
        )
        for r in root.tables("follow_up")
    )
    signatures = tuple(
        SignatureMeaning(
            role=r.choice("role", ("operator", "nurse", "reviewer", "investigator")),
            meaning=r.string("meaning"),
            required=r.boolean("required", True),
        )
        for r in root.tables("signatures", required=False)
    )
    flags_raw = head._get("site_flags", False) or []
    if not isinstance(flags_raw, list) or not all(isinstance(f, str) for f in flags_raw):
        raise head.fail("site_flags", "must be a list of texts")
    registry = head._get("registry_ids", False) or []
    if not isinstance(registry, list) or not all(isinstance(f, str) for f in registry):
        raise head.fail("registry_ids", "must be a list of texts")

    protocol = Protocol(
        key=head.string("id"),
        version=head.string("version"),
        title=head.string("title"),
        registry_ids=tuple(registry),
        provisional_note=head.string("provisional_note", ""),
        subject_id_pattern=head.pattern("subject_id_pattern"),
        subject_id_example=head.string("subject_id_example"),
        product=product,
        injection=injection,
        sites=sites,
        order=order,
        checklist=checklist,
        site_flags=tuple(flags_raw),
        medications=medications,
        sedation=sedation,
        follow_up=follow_up,
        signatures=signatures,
        source=source,
        adverse_events=_parse_adverse_events(root),
        outcomes=_parse_outcomes(root, {v.month for v in follow_up}),
    )
    if re.fullmatch(protocol.subject_id_pattern, protocol.subject_id_example) is None:
        raise head.fail("subject_id_example", "does not match subject_id_pattern")
    return protocol


def _confirm_by(r: _Reader) -> tuple[Role, ...]:
    """A checklist item's `confirm_by`: one or more of the roles present at a time-out."""
    value = r._get("confirm_by", True)
    allowed = ", ".join(role.value for role in CONFIRMING_ROLES)
    if not isinstance(value, list) or not value:
        raise r.fail("confirm_by", f"must be a list of roles ({allowed}), got {value!r}")
    roles: list[Role] = []
    for i, name in enumerate(value):
        role = next((role for role in CONFIRMING_ROLES if role.value == name), None)
        if role is None:
            raise r.fail(
                f"confirm_by[{i}]", f"{name!r} is not a role that confirms a time-out ({allowed})"
            )
        if role in roles:
            raise r.fail(f"confirm_by[{i}]", f"{name!r} is named twice")
        roles.append(role)
    return tuple(roles)


def _parse_alarms(sed: _Reader) -> VitalAlarmLimits:
    if "alarms" not in sed.data:
        return VitalAlarmLimits()
    a = sed.table("alarms")
    d = VitalAlarmLimits()
    etco2 = a._get("etco2_above", False)
    limits = VitalAlarmLimits(
        spo2_below=a.integer("spo2_below", 50, 100, default=d.spo2_below),
        hr_below=a.integer("hr_below", 20, 200, default=d.hr_below),
        hr_above=a.integer("hr_above", 40, 250, default=d.hr_above),
        systolic_below=a.integer("systolic_below", 40, 250, default=d.systolic_below),
        systolic_above=a.integer("systolic_above", 80, 300, default=d.systolic_above),
        rr_below=a.integer("rr_below", 0, 40, default=d.rr_below),
        rr_above=a.integer("rr_above", 5, 70, default=d.rr_above),
        etco2_above=None if etco2 is None else a.integer("etco2_above", 10, 150),
    )
    if limits.hr_below >= limits.hr_above:
        raise a.fail("hr_below", "must be lower than hr_above")
    if limits.systolic_below >= limits.systolic_above:
        raise a.fail("systolic_below", "must be lower than systolic_above")
    if limits.rr_below >= limits.rr_above:
        raise a.fail("rr_below", "must be lower than rr_above")
    return limits


def _texts(r: _Reader, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = r._get(key, False)
    if value is None:
        return default
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise r.fail(key, "must be a non-empty list of texts")
    items = tuple(v.strip() for v in value)
    if len(set(items)) != len(items):
        raise r.fail(key, "must not repeat an entry")
    return items


def _parse_adverse_events(root: _Reader) -> AdverseEventSpec:
    if "adverse_events" not in root.data:
        return AdverseEventSpec()
    r = root.table("adverse_events")
    d = AdverseEventSpec()
    levels = _texts(r, "relatedness", d.relatedness)
    related_from = r.string("related_from", d.related_from if d.related_from in levels else "")
    if related_from not in levels:
        raise r.fail("related_from", f"must be one of the relatedness levels, got {related_from!r}")
    return AdverseEventSpec(
        terms=_texts(r, "terms", d.terms),
        relatedness=levels,
        related_from=related_from,
        expectedness=_texts(r, "expectedness", d.expectedness),
        sae_report_hours=r.integer("sae_report_hours", 1, 24 * 15, default=d.sae_report_hours),
    )


def _parse_outcomes(root: _Reader, months: set[int]) -> OutcomeRules:
    if "outcomes" not in root.data:
        return OutcomeRules()
    r = root.table("outcomes")
    d = OutcomeRules()
    algorithm = r.string("algorithm", d.algorithm)
    if algorithm != ALGORITHM_VERSION:
        raise r.fail(
            "algorithm",
            f"this SLI Desk computes {ALGORITHM_VERSION}, the file asks for {algorithm}",
        )
    rules = OutcomeRules(
        algorithm=algorithm,
        primary_month=r.integer("primary_month", 1, 240, default=d.primary_month),
        rutherford_improvement=r.integer(
            "rutherford_improvement", 1, 6, default=d.rutherford_improvement
        ),
        vas_improvement_mm=r.integer("vas_improvement_mm", 1, 100, default=d.vas_improvement_mm),
        fontaine_walk_cutoff_m=r.integer(
            "fontaine_walk_cutoff_m", 1, 10_000, default=d.fontaine_walk_cutoff_m
        ),
        abi_method=r.choice("abi_method", ("higher_ankle", "lower_ankle"), d.abi_method),
        eq5d_version=r.string("eq5d_version", d.eq5d_version),
        rand36_version=r.string("rand36_version", d.rand36_version),
    )
    if months and rules.primary_month not in months:
        raise r.fail("primary_month", f"must be one of the follow-up months {sorted(months)}")
    return rules


def _req(value: Decimal | None) -> Decimal:
    assert value is not None
    return value


def _parse_site(r: _Reader) -> Site:
    return Site(
        number=r.integer("number", 1, 999),
        label=r.string("label"),
        muscle=r.string("muscle"),
        view=r.choice("view", VIEWS),
        x=_req(r.decimal("x", _ZERO, Decimal(1))),
        y=_req(r.decimal("y", _ZERO, Decimal(1))),
    )


def _parse_medication(r: _Reader) -> Medication:
    med = Medication(
        key=r.string("key"),
        name=r.string("name"),
        unit=r.choice("unit", DOSE_UNITS),
        route=r.string("route", "IV"),
        kind=r.choice("kind", MEDICATION_KINDS),
        increments=r.decimals("increments", _ZERO, _BIG),
        single_max=r.decimal("single_max", _ZERO, _BIG, required=False),
        cumulative_warning=r.decimal("cumulative_warning", _ZERO, _BIG, required=False),
        cumulative_max=r.decimal("cumulative_max", _ZERO, _BIG, required=False),
    )
    if (
        med.cumulative_warning is not None
        and med.cumulative_max is not None
        and med.cumulative_warning > med.cumulative_max
    ):
        raise r.fail("cumulative_warning", "must not exceed cumulative_max")
    return med


def load_protocol(path: Path) -> Protocol:
    """Read and validate one protocol file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProtocolError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProtocolError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"{path}: is not valid TOML ({exc})") from None
    return parse_protocol(data, str(path))


def default_protocol_dir() -> Path:
    return resource_dir() / "protocols"


class ProtocolCatalog:
    """All protocol versions the installation knows, by (id, version)."""

    def __init__(self, protocols: list[Protocol]) -> None:
        if not protocols:
            raise ProtocolError("no protocol files found")
        self._by_key: dict[tuple[str, str], Protocol] = {}
        for p in protocols:
            if (p.key, p.version) in self._by_key:
                raise ProtocolError(f"{p.source}: protocol {p.key} {p.version} is defined twice")
            self._by_key[(p.key, p.version)] = p
        self.default = protocols[0]

    @classmethod
    def from_dir(cls, folder: Path | None = None, default_key: str = "SAIL") -> ProtocolCatalog:
        folder = folder or default_protocol_dir()
        protocols = [load_protocol(p) for p in sorted(folder.glob("*.toml"))]
        protocols.sort(key=lambda p: (p.key != default_key, p.key, p.version))
        return cls(protocols)

    def get(self, key: str, version: str) -> Protocol:
        try:
            return self._by_key[(key, version)]
        except KeyError:
            raise ProtocolError(
                f"protocol {key} version {version} is not installed; the record was made under it"
            ) from None

    def __iter__(self) -> Iterator[Protocol]:
        return iter(self._by_key.values())
