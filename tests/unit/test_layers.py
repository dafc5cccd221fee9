"""The layers, checked from the source: a test fails when an import points the wrong way.

docs/architecture.md draws the same rules; this is what keeps the drawing true.
Every import counts, including those inside functions and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "storage")
SERVICES = ("bot.lookup", "bot.web", "bot.archive", "bot.digest", "bot.conversation")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno


def _graph() -> list[tuple[str, str, str]]:
    """(importing module, imported module, where) for every import in the packages."""
    edges = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = _module(path)
            for target, line in _imports(path):
                edges.append((module, target, f"{path.relative_to(ROOT)}:{line}"))
    return edges


EDGES = _graph()


def _under(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _project(target: str) -> bool:
    return _under(target, *PACKAGES)


# (rule, applies to importer, forbidden target) — read each as "X must not import Y".
Check = Callable[[str], bool]
RULES: list[tuple[str, Check, Check]] = [
    (
        "bot.core imports nothing else of the project (storage may depend on it)",
        lambda m: _under(m, "bot.core"),
        lambda t: _project(t) and not _under(t, "bot.core"),
    ),
    (
        "storage imports only bot.core and itself",
        lambda m: _under(m, "storage"),
        lambda t: _project(t) and not _under(t, "bot.core", "storage"),
    ),
    (
        "the analyzer is pure: bot.core and itself only",
        lambda m: _under(m, "bot.analysis"),
        lambda t: _project(t) and not _under(t, "bot.core", "bot.analysis"),
    ),
    (
        "only the composition root (bot.app) knows Telegram and handlers",
        lambda m: _under(m, "bot", "storage") and m != "bot.app",
        lambda t: _under(t, "telegram", "handlers"),
    ),
    (
        "only the CLI imports the composition root",
        lambda m: _under(m, "bot", "handlers", "storage") and not _under(m, "bot.cli"),
        lambda t: t == "bot.app",
    ),
    (
        "services type against storage protocols, never a concrete store",
        lambda m: _under(m, *SERVICES),
        lambda t: _under(t, "storage") and t != "storage.protocols",
    ),
    (
        "services do not reach up into the conversation, CLI or composition root",
        lambda m: _under(m, "bot.lookup", "bot.web", "bot.archive", "bot.digest"),
        lambda t: _under(t, "bot.conversation", "bot.cli", "bot.app"),
    ),
    (
        "handlers never touch storage (only the type of the bundle they are given)",
        lambda m: _under(m, "handlers"),
        lambda t: _under(t, "storage") and t != "storage.stores",
    ),
]


@pytest.mark.parametrize(("rule", "applies", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_imports_follow_the_layers(rule: str, applies: Check, forbidden: Check) -> None:
    wrong = [f"{where}: {m} -> {t}" for m, t, where in EDGES if applies(m) and forbidden(t)]
    assert not wrong, f"{rule}:\n" + "\n".join(wrong)


def test_the_graph_is_read() -> None:
    """Guard against a parser that silently sees nothing (every rule would pass)."""
    assert ("bot.lookup.matching", "storage.protocols") in {(m, t) for m, t, _ in EDGES}
    assert len(EDGES) > 200


def test_a_wrong_import_is_caught(tmp_path: Path) -> None:
    """The checker itself fails on a violation (written to a temporary tree)."""
    bad = tmp_path / "storage" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("from bot.lookup.matching import match\n", encoding="utf-8")
    [(target, _)] = list(_imports(bad))
    _, applies, forbidden = RULES[1]
    assert applies("storage.bad")
    assert forbidden(target)
