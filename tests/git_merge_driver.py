"""git merge driver used by tests/test_sync.py while ``python -m app merge-driver`` does not exist.

It does what that command will do: ``app.store.sync.merge_driver(%O, %A, %B)``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.store.sync import merge_driver

if __name__ == "__main__":
    sys.exit(merge_driver(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])))
