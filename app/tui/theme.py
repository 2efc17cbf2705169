"""Kintsugi's own colours: warm dark clay, celadon glaze, and gold along the seams."""

from __future__ import annotations

from textual.theme import Theme

KINTSUGI_THEME = Theme(
    name="kintsugi",
    primary="#D4A843",  # gold: the seam, what is integrated, the one writing now
    secondary="#8DB8AA",  # celadon glaze: exploring
    accent="#E3A27E",  # warm clay: practising
    foreground="#EDE6DA",
    background="#1B1816",
    surface="#24201D",
    panel="#302925",
    success="#A9C48F",
    warning="#E6C073",
    error="#E07A6F",
    dark=True,
)
