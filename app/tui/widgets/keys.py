"""The words shown beside each key in the Footer come from content/ui.toml ([keys])."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from app.content import Content


def describe_keys(node: DOMNode, content: Content) -> None:
    """Give every binding of ``node`` that has an ``id`` its description from ``[keys]``.

    Bindings are declared in ``BINDINGS`` as usual, with ``id="name"`` and no
    description; this fills in ``content.text("keys.name")`` and shows them in
    the Footer. Bindings without an id are left as they are (hidden ones).
    """
    bindings = node._bindings.key_to_bindings
    for key, found in bindings.items():
        bindings[key] = [
            replace(binding, description=content.text(f"keys.{binding.id}"), show=True)
            if binding.id
            else binding
            for binding in found
        ]
