"""The ways two copies of the couple's file meet: conflict copies, a copy handed over, git.

Every way ends in the same pure merge (``app.domain.merge.merge_replicas``)
and the same write path (``CoupleStorage``: read-merge-write under the file
lock, canonical JSON, atomic replace), so copies that have seen the same
edits are byte-identical whichever way they met. The protocol is written up
in docs/SYNC.md. No Textual here: the TUI and the CLI both call these.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.clock import is_stamp, parse_stamp
from app.domain.merge import MergeReport, Origin, merge_replicas
from app.domain.records import newest_valid_stamp
from app.store.couple_file import (
    Data,
    file_id_of,
    load_couple_file,
    merge_data,
    parse_couple_file,
    read_couple_text,
    records_of,
)
from app.store.files import atomic_write, canonical_json, ensure_folder
from app.store.keys import Keyring, sealing_of
from app.store.sealing import PLAIN_KINDS, SEALED_TABLE
from app.store.storage import StoreError

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

GIT_DRIVER = "kintsugi"
GIT_DRIVER_NAME = "Kintsugi couple file merge"

# -- merging into our file --------------------------------------------------------------


def latest_valid_stamp(tables: Mapping[str, Any]) -> str | None:
    """The newest well-formed stamp in ``tables`` (damaged records are passed over)."""
    return max(
        (
            stamp
            for table in tables.values()
            if isinstance(table, Mapping)
            for raw in table.values()
            if (stamp := newest_valid_stamp(raw))
        ),
        default=None,
    )


def merge_into_store(store: CoupleStore, theirs: Data) -> MergeReport:
    """Merge another copy of our file (records and ``_meta``) into ours through the store's write path.

    The merged data goes to ``CoupleStorage.write``, which takes the lock,
    re-reads the file if it changed meanwhile, merges that in too and writes
    atomically and canonically. Our clock observes their newest stamp, so
    our next edit is stamped after everything that came in.
    """
    storage = store.storage
    ours = storage.read()
    if ours is None:
        raise StoreError("file_missing", case="yet", path=store.path)
    merged, report = merge_data(ours, theirs)
    latest = latest_valid_stamp(records_of(theirs))
    if latest is not None:
        store.clock.observe(latest)
    if merged != ours:
        storage.write(merged)
    return report


def _read_copy(path: Path, keyring: Keyring | None) -> Data:
    """A copy of the couple's file, parsed, opened and brought to the current format, or a StoreError."""
    return load_couple_file(path, settle=0, keyring=keyring).data


def _on_disk(data: Data, keyring: Keyring | None) -> str:
    """``data`` as a copy of the file holds it: canonical, and sealed if the file is."""
    if sealing_of(data) is not None and keyring is not None:
        data = keyring.seal_data(data)
    return canonical_json(data)


# -- conflict copies left by sync services ------------------------------------------------


def _copy_patterns(stem: str, suffix: str) -> list[re.Pattern[str]]:
    s, x = re.escape(stem), re.escape(suffix)
    date = r"\d{4}-\d{2}-\d{2}"
    number = r"(?: \(\d+\))?"
    return [
        # Syncthing: couple.sync-conflict-20240501-101112-ABCDEF7.json
        re.compile(rf"{s}\.sync-conflict-\d{{8}}-\d{{6}}-[A-Za-z0-9]+{x}"),
        # Dropbox: couple (Sam's conflicted copy 2024-05-01).json, "(1)" inside or after;
        # Nextcloud: couple (conflicted copy 2024-05-01 101112).json
        re.compile(rf"{s} \((?:.+['\u2019]s )?conflicted copy {date}(?: \d{{6}})?{number}\){number}{x}"),
        # Nextcloud before 2024: couple_conflict-20240501-101112.json
        re.compile(rf"{s}_conflict-\d{{8}}-\d{{6}}{x}"),
        # iCloud: couple 2.json (not "couple 2024.json": that is a name someone chose)
        re.compile(rf"{s} \d{{1,3}}{x}"),
        # Google Drive: couple (1).json
        re.compile(rf"{s} \(\d{{1,3}}\){x}"),
    ]


def _is_temp_name(name: str) -> bool:
    """Files sync clients (and we) write while a transfer or a save is under way."""
    return name.startswith((".", "~")) or name.endswith((".tmp", ".partial"))


def find_conflict_copies(path: Path) -> list[Path]:
    """Conflict copies of ``path`` that sync services left beside it, by name (``path``: the real file)."""
    path = Path(path)
    patterns = _copy_patterns(path.stem, path.suffix)
    try:
        entries = list(os.scandir(path.parent))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in entries:
        name = entry.name
        if name == path.name or _is_temp_name(name):
            continue
        with contextlib.suppress(OSError):
            if not entry.is_file():
                continue
        if any(pattern.fullmatch(name) for pattern in patterns):
            found.append(path.parent / name)
    return sorted(found)


@dataclass
class CopyOutcome:
    """What happened to one conflict copy: merged (``report``) or left where it is
    (``left_because``: "unreadable", with the ``error`` reading it, or "other_couple"); the
    words for why are ``app.words.left_copy_words``."""

    path: Path
    report: MergeReport | None = None
    error: StoreError | None = None
    moved_to: Path | None = None
    left_because: str = ""

    @property
    def merged(self) -> bool:
        return self.report is not None


def _move_aside(copy: Path, folder: Path) -> Path | None:
    """Move ``copy`` into ``folder`` under its own name, numbered if that name is taken.

    None if the copy is gone already: another Kintsugi on this machine (the app
    and a command at once) merged it and moved it first.
    """
    ensure_folder(folder)
    n = 1
    target = folder / copy.name
    while True:
        try:
            os.link(copy, target)  # fails if target exists: never overwrite an older copy
        except FileExistsError:
            n += 1
            target = folder / f"{copy.stem}.{n}{copy.suffix}"
            continue
        except FileNotFoundError:
            return None
        except OSError:  # a file system without hard links
            if target.exists():
                n += 1
                target = folder / f"{copy.stem}.{n}{copy.suffix}"
                continue
            try:
                os.replace(copy, target)
            except FileNotFoundError:
                return None
            return target
        try:
            copy.unlink()
        except FileNotFoundError:  # moved by the other Kintsugi meanwhile: ours is a second link
            target.unlink(missing_ok=True)
            return None
        return target


def merge_conflict_copies(store: CoupleStore) -> list[CopyOutcome]:
    """Merge every conflict copy beside the store's file, then move it to this machine's merged folder.

    A copy that cannot be read as a couple's file, or that holds another
    couple's file, is left where it is and reported with the reason.
    """
    our_id = store.file_id
    outcomes = []
    for copy in find_conflict_copies(store.places.real):
        data, left = _read_or_leave(copy, our_id, store.keyring)
        if data is None:
            if left is not None:
                outcomes.append(left)
            continue
        report = merge_into_store(store, data)
        moved = _move_aside(copy, store.places.merged)
        outcomes.append(CopyOutcome(copy, report=report, moved_to=moved))
    return outcomes


def copies_left_alone(store: CoupleStore) -> list[CopyOutcome]:
    """The conflict copies beside the file that cannot be merged, each with why (nothing changes)."""
    our_id = store.file_id
    found = (
        _read_or_leave(copy, our_id, store.keyring)[1] for copy in find_conflict_copies(store.places.real)
    )
    return [left for left in found if left is not None]


def _read_or_leave(
    copy: Path, our_id: str, keyring: Keyring | None
) -> tuple[Data, None] | tuple[None, CopyOutcome | None]:
    """The copy's data if it is ours to merge, else why it is left where it is.

    (None, None) for a copy that is gone: another Kintsugi on this machine merged it a moment ago.
    """
    try:
        data = _read_copy(copy, keyring)
    except StoreError as error:
        if error.reason == "file_missing":
            return None, None
        return None, CopyOutcome(copy, error=error, left_because="unreadable")
    if file_id_of(data) != our_id:
        return None, CopyOutcome(copy, left_because="other_couple")
    return data, None


# -- a copy handed over ---------------------------------------------------------------------


@dataclass
class SyncOutcome:
    """What ``sync_with`` did: what came in to ours, what went out to OTHER."""

    other: Path
    came_in: MergeReport
    went_out: MergeReport
    wrote_ours: bool = False
    wrote_other: bool = False
    dry_run: bool = False


def _other_copy(store: CoupleStore, other: Path) -> Data:
    data = _read_copy(other, store.keyring)
    if file_id_of(data) != store.file_id:
        raise StoreError("file_other_couple", case="merging", path=other)
    return data


def sync_with(store: CoupleStore, other: Path, *, both: bool = False, dry_run: bool = False) -> SyncOutcome:
    """Merge the copy at ``other`` into ours, and with ``both`` write the result back to it.

    ``came_in`` is what theirs added to ours, ``went_out`` what ours adds to
    theirs. With ``both`` the two files end up byte-identical (records
    either holds that this version cannot read included: they are merged like
    any other). ``dry_run`` computes both reports and writes nothing.
    """
    other = Path(other)
    if other.resolve() == store.path.resolve():
        raise StoreError("same_file", path=other)
    theirs = _other_copy(store, other)
    ours = store.storage.read()
    assert ours is not None  # store.file_id has read it
    if dry_run:
        came_in = merge_data(ours, theirs)[1]
        went_out = merge_data(theirs, ours)[1]
        return SyncOutcome(other, came_in, went_out, dry_run=True)
    before = store.storage.generation
    came_in = merge_into_store(store, theirs)
    outcome = SyncOutcome(other, came_in, MergeReport(), wrote_ours=store.storage.generation != before)
    final = store.storage.read()
    assert final is not None
    outcome.went_out = merge_data(theirs, final)[1]
    if both:
        outcome.wrote_other = _write_other(store, other, theirs, final)
    return outcome


def _write_other(store: CoupleStore, other: Path, theirs: Data, ours: Data) -> bool:
    """Write our merged data to OTHER, merged once more with whatever OTHER holds now."""
    latest = _other_copy_unchecked(store, other, theirs)
    text = _on_disk(merge_data(latest, ours)[0], store.keyring)
    if _text_of(other) == text:
        return False
    atomic_write(other, text)
    return True


def _other_copy_unchecked(store: CoupleStore, other: Path, parsed: Data) -> Data:
    """OTHER as it is on disk now (it may have changed since we read it)."""
    try:
        now = _read_copy(other, store.keyring)
    except StoreError:
        return parsed
    return now if file_id_of(now) == file_id_of(parsed) else parsed


def _text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


# -- git ------------------------------------------------------------------------------------


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise StoreError("git_missing") from None


def _glob_escaped(relative: str) -> str:
    return re.sub(r"([*?\[\]\\])", r"\\\1", relative)


def _attribute_pattern(relative: str) -> str:
    """``relative`` as a .gitattributes pattern matching just that file (anchored at the root)."""
    pattern = "/" + _glob_escaped(relative)
    if any(ch in pattern for ch in ' "\t'):  # git reads C-style quoted patterns
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return pattern


def _append_line(file: Path, line: str, present: Iterable[str]) -> bool:
    """Append ``line`` to ``file`` unless one of ``present`` is already a line of it."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    lines = {existing.strip() for existing in text.splitlines()}
    if lines & set(present):
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    file.write_text(text + line + "\n", encoding="utf-8")
    return True


@dataclass(frozen=True)
class GitSetup:
    """What ``git_setup`` did, for the CLI to say: the line sending the file to the driver in
    ``attributes`` (``added`` now, or there already), the pattern of Kintsugi's temporary files
    added to ``gitignore`` (None if it was there), and the clone whose config holds the driver."""

    attributes: Path
    line: str
    relative: str
    added: bool
    gitignore: Path
    ignored: str | None
    git_folder: Path


def git_setup(path: Path) -> GitSetup:
    """Register the Kintsugi merge driver for ``path`` in the git repository holding it.

    Writes ``<file> merge=kintsugi`` to .gitattributes at the repository's
    root (commit it: it travels with the repo), the pattern of Kintsugi's
    temporary files to .gitignore, and the driver to this clone's git config
    (each partner runs this once in their clone). The driver is this
    installation's Python by absolute path, isolated (``-I``): git runs it
    from the repository's root, where a folder named ``app`` would otherwise
    be imported instead of Kintsugi.
    """
    path = Path(path).absolute()
    folder = path.parent
    if not folder.is_dir():
        raise StoreError("folder_missing", path=folder)
    found = _git(folder, "rev-parse", "--show-toplevel")
    if found.returncode != 0 or not found.stdout.strip():
        raise StoreError("not_in_git", case="outside", path=path)
    top = Path(found.stdout.strip()).resolve()
    try:
        relative = path.resolve().relative_to(top).as_posix()
    except ValueError:
        raise StoreError("not_in_git", case="elsewhere", path=path, top=top) from None
    pattern = _attribute_pattern(relative)
    wanted = f"{pattern} merge={GIT_DRIVER}"
    attributes = top / ".gitattributes"
    added = _append_line(attributes, wanted, {wanted, f"{relative} merge={GIT_DRIVER}"})

    parent = Path(relative).parent.as_posix()
    stem = f".~{Path(relative).name}."
    ignored = "/" + _glob_escaped(stem if parent == "." else f"{parent}/{stem}") + "*.tmp"
    ignored_now = _append_line(top / ".gitignore", ignored, {ignored})

    driver = f"{shlex.quote(str(Path(sys.executable).absolute()))} -I -m app merge-driver %O %A %B"
    for key, value in ((f"merge.{GIT_DRIVER}.name", GIT_DRIVER_NAME), (f"merge.{GIT_DRIVER}.driver", driver)):
        done = _git(top, "config", key, value)
        if done.returncode != 0:
            said = done.stderr.strip()
            raise StoreError("git_failed", case="said" if said else "silent", key=key, why=said)
    return GitSetup(
        attributes=attributes,
        line=wanted,
        relative=relative,
        added=added,
        gitignore=top / ".gitignore",
        ignored=ignored if ignored_now else None,
        git_folder=top / ".git",
    )


def merge_driver(base: Path, ours: Path, theirs: Path, keyring: Keyring | None = None) -> MergeReport:
    """git's merge driver (%O %A %B): merge ``theirs`` into ``ours`` and write it to ``ours``;
    what came in from ``theirs``.

    ``base`` (the common ancestor) is not needed: every record carries its
    own stamps and history, so the merge of the two sides alone is exact;
    except on a machine not let into a sealed file yet, which merges only the
    machines and keys (``_merge_unopened``). A StoreError, ``ours`` left
    untouched (``kintsugi merge-driver`` then exits 1, so git reports a
    conflict), when either side cannot be read, they are two couples' files,
    or ``ours`` cannot be written.
    """
    if keyring is None:
        from app.store.keys import Keyring
        from app.store.local import LocalState

        keyring = Keyring(LocalState())
    try:
        other = _read_copy(Path(theirs), keyring)  # first: it may bring this machine's key
        mine = _read_copy(Path(ours), keyring)
    except StoreError as error:
        if error.reason == "file_locked":
            return _merge_unopened(Path(base), Path(ours), Path(theirs))
        raise
    if file_id_of(mine) != file_id_of(other):
        raise StoreError("file_other_couple", case="sides")
    merged, report = merge_data(mine, other)
    try:
        atomic_write(Path(ours), _on_disk(merged, keyring))
    except OSError as error:
        raise StoreError("merge_unwritable", path=ours, why=error.strerror) from None
    return report


def _merge_unopened(base: Path, ours: Path, theirs: Path) -> MergeReport:
    """The git merge on a machine that cannot open the sealed file yet (it has asked to join).

    Such a machine changes only the machines and keys (its own request). If
    its side's sealed records are the ancestor's, the merge is theirs with both
    sides' machines and keys merged; otherwise it cannot merge what it cannot
    read, and says so (a StoreError).
    """
    ancestor, mine, other = (
        parse_couple_file(read_couple_text(path)[0], path) for path in (base, ours, theirs)
    )
    if mine.get(SEALED_TABLE) != ancestor.get(SEALED_TABLE) or file_id_of(mine) != file_id_of(other):
        raise StoreError("merge_unopened")
    plain, report = merge_replicas(
        {kind: mine.get(kind, {}) for kind in PLAIN_KINDS},
        {kind: other.get(kind, {}) for kind in PLAIN_KINDS},
    )
    atomic_write(ours, canonical_json({**other, **plain}))
    return report


# -- where a report came from ------------------------------------------------------------------


def came_from(
    report: MergeReport, store: CoupleStore | None = None, source: str | Path | None = None
) -> Origin:
    """Where the changes of ``report`` came from, for ``app.words.report_words`` to say.

    ``source`` names the copy merged (a path: by its file name, and its folder too when it has
    our file's own name); without it, ``store`` tells whether every change was typed at this
    machine (a command, or another window) or made by one partner.
    """
    if source is not None:
        if not isinstance(source, Path):
            return Origin(copy=str(source))
        same_name = store is not None and source.name == store.path.name
        return Origin(copy=source.name, folder=source.absolute().parent if same_name else None)
    if store is None:
        return Origin()
    editors, replicas = set(), set()
    for kind, record_id in [*report.added, *report.changed]:
        raw = store.raw_table(kind).get(record_id)
        if isinstance(raw, dict) and isinstance(raw.get("fields"), dict):
            editors.add(raw["fields"].get("edited_by"))
            stamps = raw.get("stamps")
            newest = max(stamps.values(), default="") if isinstance(stamps, dict) else ""
            replicas.add(parse_stamp(newest)[2] if is_stamp(newest) else "")
    if replicas == {store.local.replica_id}:
        return Origin(here=True)
    if len(editors) != 1:
        return Origin()
    (editor,) = editors
    names = {partner.id: partner.name for partner in store.partners}
    return Origin(partner=names[editor]) if editor in names else Origin()
