"""What each browser tab of ``kintsugi serve`` runs: the app, ended when its server is gone.

textual-serve feeds the app its input through a pipe; when the server dies
without closing its tabs (``kill -9``, a crash) the pipe ends, and Textual's
web driver stops reading but leaves the app running, unseen, for good. So a
thread here checks once a second that the server is still this process's
parent, and when it is not, sends the app the SIGTERM that the web driver
turns into a clean quit.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

from app.cli import main

POLL = 1.0  # seconds between looks at the parent


def quit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL)
    os.kill(os.getpid(), signal.SIGTERM)


if __name__ == "__main__":
    threading.Thread(target=quit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    sys.exit(main())
