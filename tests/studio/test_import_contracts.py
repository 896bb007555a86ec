"""DESIGN.md's dependency rules hold, and the import-linter contracts would catch a break."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """The three packages' Python files and pyproject.toml, to break without touching ours."""
    only_python = shutil.ignore_patterns("*.pyc", "__pycache__", "static", "templates", "locale")
    for package in ("studio", "library", "streaming"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=only_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_project_keeps_its_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden", "contract"),
    [
        ("streaming/jobs.py", "import library.models", "streaming (the media engine) never"),
        ("streaming/jobs.py", "from studio import roles", "the apps never import the project"),
        ("library/forms.py", "from studio import roles", "the apps never import the project"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(project_copy, module, forbidden, contract):
    path = project_copy / module
    path.write_text(f"{forbidden}  # noqa\n" + path.read_text())
    result = lint_imports(project_copy)
    assert result.returncode == 1
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert len(broken) == 1 and broken[0].startswith(contract), result.stdout
