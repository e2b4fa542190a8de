"""The shape docs/design.md section 6 asks for, checked on every run."""

from importlinter.cli import lint_imports


def test_the_analytics_core_imports_no_django() -> None:
    assert lint_imports(no_cache=True) == 0
