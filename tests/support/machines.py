"""A machine let into a sealed notebook, as the partners would do it."""

from __future__ import annotations

from app.store.couple import CoupleStore


def let_in(alex: CoupleStore, newcomer: CoupleStore, partner: str = "Sam") -> None:
    """The newcomer's machine asks to join and Alex's lets it in as ``partner``'s (the words compared)."""
    from app.store.joining import ask_to_join

    asked = ask_to_join(newcomer)
    alex.refresh()
    alex.vouch(asked.id, alex.partner_named(partner).id, alex.partners[0].id)
    newcomer.load()
    newcomer.set_me(newcomer.partner_named(partner).id)
