"""Who confirms which time-out item, and when an item is complete. Standard library only.

Each checklist item of the protocol names the roles that confirm it (`confirm_by`). Every
role needs its own tick, by a signed-in person who holds that role; an item with two roles
needs two different people — the second check is the point of a time-out, so one person
holding both roles still cannot complete it alone. A tick records the role it confirms as.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from slidesk.domain.errors import ConflictError, PermissionDenied
from slidesk.domain.users import Role
from slidesk.i18n import N_, _

# The people at a time-out: the roles a protocol's `confirm_by` may name.
CONFIRMING_ROLES: tuple[Role, ...] = (Role.OPERATOR, Role.NURSE)
_ROLE_NAMES = {Role.OPERATOR: N_("operator"), Role.NURSE: N_("nurse")}


def role_name(role: Role) -> str:
    """The role as a word in a sentence ('operator', 'nurse')."""
    return _(_ROLE_NAMES.get(role, role.value))


def roles_text(roles: Sequence[Role]) -> str:
    """'operator', 'operator and nurse'."""
    names = [role_name(r) for r in roles]
    if len(names) <= 1:
        return "".join(names)
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A live tick of an item: who confirmed it, as which role (None on a tick from before
    roles were recorded)."""

    user_id: int
    name: str
    role: Role | None


def confirmed_roles(confirm_by: Sequence[Role], ticks: Iterable[Confirmation]) -> tuple[Role, ...]:
    """The roles of `confirm_by` that a tick confirms, in the protocol's order."""
    given = {t.role for t in ticks}
    return tuple(role for role in confirm_by if role in given)


def missing_roles(confirm_by: Sequence[Role], ticks: Iterable[Confirmation]) -> tuple[Role, ...]:
    """The roles still to confirm the item, in the protocol's order."""
    done = set(confirmed_roles(confirm_by, ticks))
    return tuple(role for role in confirm_by if role not in done)


def is_complete(confirm_by: Sequence[Role], ticks: Iterable[Confirmation]) -> bool:
    """Every role has its tick, and the ticks that count are by as many different people."""
    counting = [t for t in ticks if t.role in confirm_by]
    return not missing_roles(confirm_by, counting) and len({t.user_id for t in counting}) >= len(
        confirm_by
    )


def role_to_confirm(
    *,
    item_text: str,
    confirm_by: Sequence[Role],
    ticks: Sequence[Confirmation],
    person_id: int,
    person_name: str,
    person_roles: frozenset[Role],
    wanted: Role | None = None,
) -> Role:
    """The role in which this person may tick the item now; refused with a message saying
    who must confirm instead (PermissionDenied: not their role; ConflictError: done, or they
    already confirmed it)."""
    item = f"“{item_text}”"
    if wanted is not None and wanted not in confirm_by:
        raise PermissionDenied(
            _("{item} is confirmed by the {roles}, not the {role}.").format(
                item=item, roles=roles_text(confirm_by), role=role_name(wanted)
            )
        )
    open_roles = missing_roles(confirm_by, ticks)
    if not open_roles:
        raise ConflictError(
            _("{item} is already confirmed ({who}).").format(item=item, who=_who(ticks))
        )
    own = next((t for t in ticks if t.user_id == person_id), None)
    if own is not None:
        raise ConflictError(
            _(
                "{name} already confirmed {item}{as_role}. A second person must confirm it: "
                "the {missing}."
            ).format(
                name=person_name,
                item=item,
                as_role=_(" as {role}").format(role=role_name(own.role)) if own.role else "",
                missing=roles_text(open_roles),
            )
        )
    if wanted is not None:
        if wanted not in open_roles:
            done = next(t for t in ticks if t.role is wanted)
            raise ConflictError(
                _("{item} is already confirmed as {role} by {name}.").format(
                    item=item, role=role_name(wanted), name=done.name
                )
            )
        if wanted not in person_roles:
            raise PermissionDenied(
                _(
                    "Only someone with the {role} role confirms {item} as {role}; "
                    "{name} does not have it."
                ).format(name=person_name, role=role_name(wanted), item=item)
            )
        return wanted
    for role in open_roles:
        if role in person_roles:
            return role
    raise PermissionDenied(
        _("{item} must still be confirmed by the {missing}; {name} is not one.").format(
            item=item, missing=roles_text(open_roles), name=person_name
        )
    )


def _who(ticks: Iterable[Confirmation]) -> str:
    return ", ".join(
        _("{name} as {role}").format(name=t.name, role=role_name(t.role)) if t.role else t.name
        for t in ticks
    )
