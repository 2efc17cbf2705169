"""``python -m app`` and the ``kintsugi`` command.

The collector is off while the modules load: they leave almost no garbage in cycles (~700
objects), yet set off some sixty collections on the way (~15 ms of a start). ``main`` turns it
back on for a command; the TUI keeps it off until its first screen is drawn
(``app.cli.open_tui``).
"""

import gc
import sys

gc.disable()

from app.cli import main  # noqa: E402  (once the collector is off)

if __name__ == "__main__":
    sys.exit(main())
