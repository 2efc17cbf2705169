"""The store's reads and writes for a step's practice that are more than adding, editing or
deleting an entry (``app.store.entries``): a mixin of ``CoupleStore`` in a module named as the
practice is in every layer. A practice with nothing more has no module here."""
