"""Where the files that ship beside the code (content/, styles/) are found.

In a source checkout or an editable install they are the top-level folders
next to ``app/``; a wheel carries them inside the package as ``app/_content``
and ``app/_styles`` (see ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    bundled = PACKAGE / f"_{name}"
    return bundled if bundled.is_dir() else PACKAGE.parent / name
