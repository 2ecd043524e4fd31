"""The protocol's bedside sections: [injection], [product], [[sites]], the site order and
[[checklist]] — one parse function per section, each checking what the section must satisfy.

Reads through `reader.TableReader`; builds `model` values. Imports only `model`, `reader` and
the domain's roles (never `slidesk.protocol` itself, nor the other sections).
"""

from __future__ import annotations

import re
from decimal import Decimal

from slidesk.domain.procedure.checklist import CONFIRMING_ROLES
from slidesk.domain.users import Role
from slidesk.protocol.model import VIEWS, ChecklistItem, InjectionSpec, Product, Site
from slidesk.protocol.reader import TableReader, required

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def parse_injection(root: TableReader) -> InjectionSpec:
    """[injection]: the depth and volume ranges, each default inside its range."""
    inj = root.table("injection")
    injection = InjectionSpec(
        depth_min_mm=required(inj.decimal("depth_min_mm", _ZERO, _HUNDRED)),
        depth_max_mm=required(inj.decimal("depth_max_mm", _ZERO, _HUNDRED)),
        depth_default_mm=required(inj.decimal("depth_default_mm", _ZERO, _HUNDRED)),
        volume_ml=required(inj.decimal("volume_ml", _ZERO, _HUNDRED)),
        volume_min_ml=required(inj.decimal("volume_min_ml", _ZERO, _HUNDRED)),
        volume_max_ml=required(inj.decimal("volume_max_ml", _ZERO, _HUNDRED)),
    )
    if not injection.depth_min_mm <= injection.depth_default_mm <= injection.depth_max_mm:
        raise inj.fail("depth_default_mm", "must lie between depth_min_mm and depth_max_mm")
    if not injection.volume_min_ml <= injection.volume_ml <= injection.volume_max_ml:
        raise inj.fail("volume_ml", "must lie between volume_min_ml and volume_max_ml")
    return injection


def parse_product(root: TableReader) -> Product:
    """[product]: the kit and syringe label patterns, whose examples must fit them."""
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
    return product


def parse_sites(root: TableReader) -> tuple[Site, ...]:
    """[[sites]]: numbered, labelled sites with their place on the diagram; no repeats."""
    sites = tuple(_parse_site(r) for r in root.tables("sites"))
    seen: set[int] = set()
    for i, site in enumerate(sites):
        if site.number in seen:
            raise root.fail(f"sites[{i}].number", f"site {site.number} appears twice")
        seen.add(site.number)
    labels = [s.label for s in sites]
    if len(set(labels)) != len(labels):
        raise root.fail("sites", "site labels must be unique")
    return sites


def _parse_site(r: TableReader) -> Site:
    return Site(
        number=r.integer("number", 1, 999),
        label=r.string("label"),
        muscle=r.string("muscle"),
        view=r.choice("view", VIEWS),
        x=required(r.decimal("x", _ZERO, Decimal(1))),
        y=required(r.decimal("y", _ZERO, Decimal(1))),
    )


def parse_order(head: TableReader, sites: tuple[Site, ...]) -> tuple[int, ...]:
    """[protocol].order: the injection order, naming every site once (default: as listed)."""
    numbers = [s.number for s in sites]
    order_raw = head.get("order", False)
    if order_raw is None:
        return tuple(numbers)
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
    return order


def parse_checklist(root: TableReader) -> tuple[ChecklistItem, ...]:
    """[[checklist]]: the time-out items, unique keys, each with the roles that confirm it."""
    checklist = tuple(
        ChecklistItem(key=r.string("key"), text=r.string("text"), confirm_by=_confirm_by(r))
        for r in root.tables("checklist")
    )
    if len({c.key for c in checklist}) != len(checklist):
        raise root.fail("checklist", "item keys must be unique")
    return checklist


def _confirm_by(r: TableReader) -> tuple[Role, ...]:
    """A checklist item's `confirm_by`: one or more of the roles present at a time-out."""
    value = r.get("confirm_by", True)
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
