"""A static reading of `ui/`: which services the screens call, and how they call them.

Every screen reaches the core through the one door (`ui/door/operations.py`): a service is passed
to `operations.write`/`read`, or called inside a lambda given to `operations.attempt`,
`in_background` or `performed` (or in the `work` of an `operations.Job`). Nothing in `ui/`
catches a refusal (`DomainError` or a subclass), `Exception`, `BaseException`, or everything
(a bare `except:`) itself: the door shows refusals and failures where the person looks.

A service is a function of `slidesk.services` that takes the unit of work (`uow`); a pure
helper there (`vitals_due` …) is not, nor is a rule of `slidesk.domain` (`normalise_syringe` …),
which screens call directly. Two rules find a call that
bypasses the door: a call of a name or attribute that resolves to a service, and any call
given `uow=` (a screen's own wrapper calling a service it was handed).

Used by tests/unit/test_one_door.py (the rules) and tests/ui/test_faults_*.py (every service
the screens call has a case that breaks it). Standard library and `slidesk` only: the screens
are read, never imported.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DOOR = "ui/door/operations.py"
# The door's own parts: its worker threads (ui/door/jobs.py) and its waits for another program's
# lock (ui/door/lock_wait.py) catch for the screens, as it does.
DOOR_PARTS = frozenset({DOOR, "ui/door/jobs.py", "ui/door/lock_wait.py"})
_DOOR_WRAPPERS = frozenset({"attempt", "in_background", "performed"})
_CATCH_ALL = frozenset({"Exception", "BaseException"})

# Places in ui/ that may do what the rules forbid, each with its reason: "path::function".
ALLOWED = {
    "ui/startup.py::_open_on_worker": (
        "start-up, before an app context exists: the database opens on a worker thread and "
        "whatever stops it (BaseException included) is carried to the GUI thread, which shows "
        "it and closes the first screen"
    ),
    "ui/app.py::open_context": (
        "start-up for scripts and benchmarks, before an app context (and so the door) exists: "
        "the site's time zone is read once; a failure ends the script with its traceback"
    ),
}


@dataclass(frozen=True, slots=True)
class Offence:
    path: str
    line: int
    scope: str  # the enclosing function, "Class.method" or "<module>"
    what: str

    @property
    def place(self) -> str:
        return f"{self.path}::{self.scope.rsplit('.', 1)[-1]}"

    def __str__(self) -> str:
        return f"{self.path}:{self.line} ({self.scope}): {self.what}"


def is_service(obj: object) -> bool:
    return inspect.isfunction(obj) and "uow" in inspect.signature(obj).parameters


def service_name(obj: object) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"  # type: ignore[attr-defined]


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


class _Names:
    """What the names of one file stand for: slidesk modules and objects, ui classes."""

    def __init__(self, tree: ast.Module, root: Path) -> None:
        self.modules: dict[str, ModuleType] = {}
        self.objects: dict[str, object] = {}
        self.ui_classes: dict[str, tuple[Path, str]] = {}
        self.local_classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        self._root = root
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("slidesk"):
                        module = _module(alias.name)
                        if module is not None:
                            self.modules[alias.asname or alias.name] = module
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                self._from(node.module, node.names)

    def _from(self, source: str, names: list[ast.alias]) -> None:
        for alias in names:
            local = alias.asname or alias.name
            if source.startswith("slidesk"):
                module = _module(f"{source}.{alias.name}")
                if module is not None:
                    self.modules[local] = module
                    continue
                parent = _module(source)
                if parent is not None and hasattr(parent, alias.name):
                    self.objects[local] = getattr(parent, alias.name)
            elif source.startswith("ui."):
                path = self._root / Path(*source.split(".")).with_suffix(".py")
                if path.is_file():
                    self.ui_classes[local] = (path, alias.name)

    def resolve(self, node: ast.expr) -> object:
        """The slidesk object an expression names (a module attribute or an imported name)."""
        if isinstance(node, ast.Name):
            return self.objects.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = self.modules.get(node.value.id)
            return getattr(module, node.attr, None) if module is not None else None
        return None


def _catches_too_much(node: ast.expr, names: _Names, depth: int = 0) -> str | None:
    """Why catching this type bypasses the door (None: it does not)."""
    from slidesk.domain.errors import DomainError

    if isinstance(node, ast.Tuple):
        return next((why for e in node.elts if (why := _catches_too_much(e, names, depth))), None)
    if isinstance(node, ast.Name) and node.id in _CATCH_ALL and depth == 0:
        return f"catches {node.id}"  # (a class of one's own below Exception is specific)
    found = names.resolve(node)
    if isinstance(found, type) and issubclass(found, DomainError):
        return f"catches {found.__name__} (a refusal)"
    if isinstance(node, ast.Name) and depth < 5:  # a class of ui/ (or of this file)
        if node.id in names.local_classes:
            return _class_too_much(names.local_classes[node.id], names, depth + 1)
        if node.id in names.ui_classes:
            path, name = names.ui_classes[node.id]
            tree = ast.parse(path.read_text(encoding="utf-8"))
            there = _Names(tree, names._root)
            if name in there.local_classes:
                return _class_too_much(there.local_classes[name], there, depth + 1)
    return None


def _class_too_much(node: ast.ClassDef, names: _Names, depth: int) -> str | None:
    for base in node.bases:
        why = _catches_too_much(base, names, depth)
        if why is not None:
            return f"catches {node.name}, which {why.removeprefix('catches ')} is"
    return None


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _is_door_call(node: ast.AST, names: str = "") -> bool:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    owner = node.func.value
    return (
        isinstance(owner, ast.Name)
        and owner.id == "operations"
        and node.func.attr in (names or _DOOR_WRAPPERS)
    )


def _through_the_door(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside a lambda given to the door, or in the `work` of an `operations.Job`."""
    current = node
    while current in parents:
        parent = parents[current]
        if isinstance(current, ast.Lambda):
            call = parents.get(parent) if isinstance(parent, ast.keyword) else parent
            if call is not None and _is_door_call(call):
                return True
        if (
            isinstance(current, ast.FunctionDef)
            and current.name == "work"
            and isinstance(parent, ast.ClassDef)
            and any(isinstance(b, ast.Name) and b.id == "Job" for b in parent.bases)
        ):
            return True
        current = parent
    return False


def _constructs(call: ast.Call) -> bool:
    """`AppContext(uow=…)`: building an object (a class is named in CamelCase), no service."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return name[:1].isupper()


def _scope(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str:
    names: list[str] = []
    current = node
    while current in parents:
        current = parents[current]
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(current.name)
    return ".".join(reversed(names)) or "<module>"


def _sources(root: Path) -> Iterator[Path]:
    yield from sorted((root / "ui").rglob("*.py"))


def offences(path: Path, root: Path = ROOT, ui_root: Path = ROOT) -> list[Offence]:
    """What in this file bypasses the door (the door itself is not read)."""
    relative = path.relative_to(root).as_posix()
    if relative in DOOR_PARTS:
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = _Names(tree, ui_root)
    parents = _parents(tree)
    found: list[Offence] = []

    def offend(node: ast.AST, what: str) -> None:
        found.append(Offence(relative, getattr(node, "lineno", 0), _scope(node, parents), what))

    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler):
            why = "a bare except" if node.type is None else _catches_too_much(node.type, names)
            if why is not None:
                offend(node, why)
        elif isinstance(node, ast.Call) and not _through_the_door(node, parents):
            target = names.resolve(node.func)
            if is_service(target):
                offend(node, f"calls {service_name(target)} directly, not through the door")
            elif any(k.arg == "uow" for k in node.keywords) and not _constructs(node):
                offend(node, "calls something with uow= directly, not through the door")
    return found


def all_offences(root: Path = ROOT) -> list[Offence]:
    return [o for path in _sources(root) for o in offences(path, root)]


def referenced_services(root: Path = ROOT) -> dict[str, set[str]]:
    """Every service named in ui/ (called or handed to the door) → the places naming it
    ("path::function"), the start-up places of `ALLOWED` left out."""
    found: dict[str, set[str]] = {}
    for path in _sources(root):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = _Names(tree, root)
        parents = _parents(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Name, ast.Attribute)):
                continue
            target = names.resolve(node)
            if not is_service(target):
                continue
            scope = _scope(node, parents)
            place = f"{relative}::{scope.rsplit('.', 1)[-1]}"
            if place not in ALLOWED:
                found.setdefault(service_name(target), set()).add(f"{relative}::{scope}")
    return found
