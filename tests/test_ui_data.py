"""ui.data is a typed door: one annotated function per panel, no call by name."""

import ast
import inspect
from pathlib import Path

import pytest

from ui import data

SOURCE = Path(data.__file__)


def _public_functions() -> list[str]:
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def test_ui_data_has_the_panels() -> None:
    assert {"overview", "pipeline", "activities", "unit_status", "campaign_summary"} <= set(
        _public_functions()
    )


@pytest.mark.parametrize("name", _public_functions())
def test_every_public_function_is_typed(name: str) -> None:
    function = inspect.unwrap(getattr(data, name))
    signature = inspect.signature(function)
    untyped = [p.name for p in signature.parameters.values() if p.annotation is p.empty]
    assert not untyped, f"{name}: parameters without a type: {untyped}"
    assert signature.return_annotation is not signature.empty, f"{name}: no return type"


@pytest.mark.parametrize("name", _public_functions())
def test_cached_panels_key_on_the_data_version(name: str) -> None:
    """A cached query that ignores the data version would show stale data after an upload."""
    function = inspect.unwrap(getattr(data, name))
    calls_engine = "engine()" in inspect.getsource(function)
    versions = ("engine", "version", "reports_version", "gender_index_methodology")
    if calls_engine and name not in versions:
        assert "data_version" in inspect.signature(function).parameters, name


def test_no_call_by_name_remains() -> None:
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    dynamic = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("getattr", "eval", "exec", "__import__")
    ]
    assert not dynamic, f"dynamic calls at lines {dynamic}"
    assert not hasattr(data, "view") and not hasattr(data, "reporting")


def test_pages_call_no_string_door() -> None:
    for page in sorted(Path(data.__file__).parent.parent.joinpath("pages").glob("*.py")):
        text = page.read_text(encoding="utf-8")
        assert "data.view(" not in text and "data.reporting(" not in text, page.name
