"""Files the package reads: prompt templates and the bundled demo."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["read_resource", "resource_path"]

# Where each file sits inside an installed wheel (pyproject.toml force-includes
# them) and where it sits in a source checkout.
_CHECKOUT_PATHS = {
    "prompts/system.j2": "prompts/system.j2",
    "prompts/user.j2": "prompts/user.j2",
    "prompts/reask.j2": "prompts/reask.j2",
    "prompts/language.j2": "prompts/language.j2",
    "_demo/seed_article.txt": "examples/seed_article.txt",
    "_demo/seed_reference.json": "cassettes/seed_reference.json",
}


def resource_path(name: str) -> Path:
    """Where a packaged file is, in an installed wheel or a source checkout."""
    packaged = Path(str(resources.files("newsschema").joinpath(name)))
    if packaged.is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / _CHECKOUT_PATHS[name]
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"newsschema's data file {name!r} is missing from this install")


def read_resource(name: str) -> str:
    """Read a packaged text file, from an installed wheel or a source checkout."""
    return resource_path(name).read_text(encoding="utf-8")
