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
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from app.domain.clock import is_stamp, parse_stamp
from app.domain.merge import MergeReport, RecordRef, merge_replicas
from app.store.files import atomic_write, canonical_json, ensure_folder
from app.store.migrations import migrate
from app.store.storage import (
    META_TABLE,
    WORK_FOLDER,
    Data,
    StoreError,
    file_id_of,
    parse_couple_file,
    records_of,
    work_folder,
)

if TYPE_CHECKING:
    from app.store.couple import CoupleStore

MERGED_FOLDER = "merged"
GIT_DRIVER = "kintsugi"
GIT_DRIVER_NAME = "Kintsugi couple file merge"

# -- merging into our file --------------------------------------------------------------


def latest_valid_stamp(tables: Mapping[str, Any]) -> str | None:
    """The newest well-formed stamp in ``tables`` (damaged records are passed over)."""
    latest: str | None = None
    for table in tables.values():
        if not isinstance(table, Mapping):
            continue
        for raw in table.values():
            stamps = raw.get("stamps") if isinstance(raw, Mapping) else None
            if not isinstance(stamps, Mapping):
                continue
            for stamp in stamps.values():
                if is_stamp(stamp) and (latest is None or stamp > latest):
                    latest = stamp
    return latest


def merge_into_store(store: CoupleStore, theirs: Mapping[str, Any]) -> MergeReport:
    """Merge another copy's record tables into our file through the store's write path.

    The merged data goes to ``CoupleStorage.write``, which takes the lock,
    re-reads the file if it changed meanwhile, merges that in too and writes
    atomically and canonically. Our clock observes their newest stamp, so
    our next edit is stamped after everything that came in.
    """
    storage = store.storage
    ours = storage.read()
    if ours is None:
        raise StoreError("file_missing", f"{store.path} does not exist yet.", path=store.path)
    merged, report = merge_replicas(records_of(ours), theirs)
    latest = latest_valid_stamp(theirs)
    if latest is not None:
        store.clock.observe(latest)
    if merged != records_of(ours):
        storage.write({**merged, META_TABLE: ours[META_TABLE]})
    return report


def _read_copy(path: Path) -> Data:
    """A copy of the couple's file, parsed, or a StoreError saying what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StoreError("file_missing", f"{path} does not exist.", path=path) from None
    except UnicodeDecodeError:
        raise StoreError(
            "file_not_json", f"{path} is not valid JSON (not UTF-8 text).", path=path, detail="not UTF-8"
        ) from None
    except OSError as error:
        raise StoreError(
            "file_unreadable", f"{path} cannot be read ({error.strerror}).", path=path, detail=error.strerror
        ) from None
    return migrate(parse_couple_file(text, path))


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
    """Conflict copies of ``path`` that sync services left beside it, by name."""
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
    """What happened to one conflict copy: merged (``report``) or left where it is (``reason``,
    and ``left_because``: "unreadable" or "other_couple")."""

    path: Path
    report: MergeReport | None = None
    reason: str = ""
    moved_to: Path | None = None
    left_because: str = ""

    @property
    def merged(self) -> bool:
        return self.report is not None


def merged_folder(path: Path) -> Path:
    return work_folder(path) / MERGED_FOLDER


def _move_aside(copy: Path, folder: Path) -> Path:
    """Move ``copy`` into ``folder`` under its own name, numbered if that name is taken."""
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
        except OSError:  # a file system without hard links
            if target.exists():
                n += 1
                target = folder / f"{copy.stem}.{n}{copy.suffix}"
                continue
            os.replace(copy, target)
            return target
        copy.unlink()
        return target


def merge_conflict_copies(store: CoupleStore) -> list[CopyOutcome]:
    """Merge every conflict copy beside the store's file, then move it to .kintsugi/merged/.

    A copy that cannot be read as a couple's file, or that holds another
    couple's file, is left where it is and reported with the reason.
    """
    our_id = store.file_id
    outcomes = []
    for copy in find_conflict_copies(store.path):
        data, left = _read_or_leave(copy, our_id)
        if left is not None:
            outcomes.append(left)
            continue
        report = merge_into_store(store, records_of(data))
        moved = _move_aside(copy, merged_folder(store.path))
        outcomes.append(CopyOutcome(copy, report=report, moved_to=moved))
    return outcomes


def copies_left_alone(store: CoupleStore) -> list[CopyOutcome]:
    """The conflict copies beside the file that cannot be merged, each with why (nothing changes)."""
    our_id = store.file_id
    found = (_read_or_leave(copy, our_id)[1] for copy in find_conflict_copies(store.path))
    return [left for left in found if left is not None]


def _read_or_leave(copy: Path, our_id: str) -> tuple[Data, None] | tuple[None, CopyOutcome]:
    """The copy's data if it is ours to merge, else why it is left where it is."""
    try:
        data = _read_copy(copy)
    except StoreError as error:
        reason = f"{copy.name} was left as it is: {_lower(error)}"
        return None, CopyOutcome(copy, reason=reason, left_because="unreadable")
    if file_id_of(data) != our_id:
        reason = f"{copy.name} is another couple's file; it was left as it is."
        return None, CopyOutcome(copy, reason=reason, left_because="other_couple")
    return data, None


def _lower(error: StoreError) -> str:
    """The error's sentence without the path it starts with."""
    text = str(error)
    path = error.detail.get("path")
    if path is not None and text.startswith(str(path)):
        text = "it" + text[len(str(path)) :]
    return text


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
    data = _read_copy(other)
    if file_id_of(data) != store.file_id:
        raise StoreError(
            "file_other_couple", f"{other} is another couple's file; nothing was merged.", path=other
        )
    return data


def sync_with(store: CoupleStore, other: Path, *, both: bool = False, dry_run: bool = False) -> SyncOutcome:
    """Merge the copy at ``other`` into ours, and with ``both`` write the result back to it.

    ``came_in`` is what theirs added to ours, ``went_out`` what ours adds to
    theirs. With ``both`` the two files end up byte-identical (unless OTHER
    holds records this version cannot read: those are kept in OTHER, never
    overwritten). ``dry_run`` computes both reports and writes nothing.
    """
    other = Path(other)
    if other.resolve() == store.path.resolve():
        raise StoreError("same_file", f"{other} is this file itself; there is nothing to merge.", path=other)
    theirs = _other_copy(store, other)
    ours = store.storage.read()
    assert ours is not None  # store.file_id has read it
    if dry_run:
        came_in = merge_replicas(records_of(ours), records_of(theirs))[1]
        went_out = merge_replicas(records_of(theirs), records_of(ours))[1]
        return SyncOutcome(other, came_in, went_out, dry_run=True)
    before = store.storage.generation
    came_in = merge_into_store(store, records_of(theirs))
    outcome = SyncOutcome(other, came_in, MergeReport(), wrote_ours=store.storage.generation != before)
    final = store.storage.read()
    assert final is not None
    outcome.went_out = merge_replicas(records_of(theirs), records_of(final))[1]
    if both:
        outcome.wrote_other = _write_other(other, theirs, final)
    return outcome


def _write_other(other: Path, theirs: Data, ours: Data) -> bool:
    """Write our merged data to OTHER, merged once more with whatever OTHER holds now."""
    latest = _other_copy_unchecked(other, theirs)
    # Merging theirs-first keeps records of OTHER this version cannot read; when
    # every record is readable the result equals ours (the merge commutes).
    records = merge_replicas(records_of(latest), records_of(ours))[0]
    text = canonical_json({**records, META_TABLE: ours[META_TABLE]})
    if _text_of(other) == text:
        return False
    atomic_write(other, text)
    return True


def _other_copy_unchecked(other: Path, parsed: Data) -> Data:
    """OTHER as it is on disk now (it may have changed since we read it)."""
    try:
        now = _read_copy(other)
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
        raise StoreError("git_missing", "git is not installed (or not on PATH).") from None


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


def git_setup(path: Path) -> list[str]:
    """Register the Kintsugi merge driver for ``path`` in the git repository holding it.

    Writes ``<file> merge=kintsugi`` to .gitattributes at the repository's
    root (commit it: it travels with the repo), ``.kintsugi/`` to .gitignore
    (the lock, backups and merged copies stay out of git), and the driver to
    this clone's git config (each partner runs this once in their clone).
    Returns the lines to print.
    """
    path = Path(path).absolute()
    folder = path.parent
    if not folder.is_dir():
        raise StoreError("folder_missing", f"{folder} does not exist.", path=folder)
    found = _git(folder, "rev-parse", "--show-toplevel")
    if found.returncode != 0 or not found.stdout.strip():
        raise StoreError("not_in_git", f"{path} is not inside a git repository.", path=path)
    top = Path(found.stdout.strip()).resolve()
    try:
        relative = path.resolve().relative_to(top).as_posix()
    except ValueError:
        raise StoreError(
            "not_in_git", f"{path} is not inside the git repository at {top}.", path=path
        ) from None
    lines = []

    pattern = _attribute_pattern(relative)
    wanted = f"{pattern} merge={GIT_DRIVER}"
    attributes = top / ".gitattributes"
    if _append_line(attributes, wanted, {wanted, f"{relative} merge={GIT_DRIVER}"}):
        lines.append(f"Added '{wanted}' to {attributes}: commit it so your partner's clone has it too.")
    else:
        lines.append(f"{attributes} already sends {relative} to the Kintsugi merge.")

    parent = Path(relative).parent.as_posix()
    ignored = "/" + _glob_escaped(WORK_FOLDER if parent == "." else f"{parent}/{WORK_FOLDER}") + "/"
    if _append_line(top / ".gitignore", ignored, {ignored, f"{WORK_FOLDER}/", WORK_FOLDER}):
        lines.append(f"Added '{ignored}' to {top / '.gitignore'} (the lock and backups stay out of git).")

    driver = f"{shlex.quote(sys.executable)} -m app merge-driver %O %A %B"
    for key, value in ((f"merge.{GIT_DRIVER}.name", GIT_DRIVER_NAME), (f"merge.{GIT_DRIVER}.driver", driver)):
        done = _git(top, "config", key, value)
        if done.returncode != 0:
            raise StoreError(
                "git_failed", f"git config {key} failed: {done.stderr.strip() or 'no reason given'}."
            )
    lines.append(
        f"Set the merge driver in {top / '.git'} (this clone only: your partner runs git-setup too)."
    )
    return lines


def merge_driver(base: Path, ours: Path, theirs: Path) -> int:
    """git's merge driver (%O %A %B): merge ``theirs`` into ``ours`` and write it to ``ours``.

    ``base`` (the common ancestor) is not needed: every record carries its
    own stamps and history, so the merge of the two sides alone is exact.
    Returns 0 when merged; 1 (leaving ``ours`` untouched, so git reports a
    conflict) when either side cannot be read or they are two couples' files.
    """
    del base  # see the docstring: the merge needs no ancestor
    try:
        mine = _read_copy(Path(ours))
        other = _read_copy(Path(theirs))
    except StoreError as error:
        print(f"kintsugi merge-driver: {error}", file=sys.stderr)
        return 1
    if file_id_of(mine) != file_id_of(other):
        print("kintsugi merge-driver: the two sides are different couples' files.", file=sys.stderr)
        return 1
    records, report = merge_replicas(records_of(mine), records_of(other))
    try:
        atomic_write(Path(ours), canonical_json({**records, META_TABLE: mine[META_TABLE]}))
    except OSError as error:
        print(f"kintsugi merge-driver: {ours} could not be written ({error.strerror}).", file=sys.stderr)
        return 1
    if report.skipped:
        print(
            f"kintsugi merge-driver: {len(report.skipped)} damaged record(s) in the other side were skipped.",
            file=sys.stderr,
        )
    return 0


# -- telling the couple ---------------------------------------------------------------------

_NOUNS: dict[str, tuple[str, str]] = {
    "partner": ("partner", "partners"),
    "progress": ("step status", "step statuses"),
    "celebration": ("celebration", "celebrations"),
    "agreement_list": ("agreement list", "agreement lists"),
    "agreement": ("agreement", "agreements"),
    "checkin": ("check-in", "check-ins"),
    "commitment_kept": ("kept commitment", "kept commitments"),
    "i_statement": ("I-statement", "I-statements"),
}


def _noun(kind: str, count: int) -> str:
    if kind in _NOUNS:
        one, many = _NOUNS[kind]
        return one if count == 1 else many
    one = kind.replace("_", " ")
    if count == 1:
        return one
    if one.endswith(("s", "sh", "ch", "x", "z")):
        return one + "es"
    if one.endswith("y") and one[-2:-1] not in "aeiou":
        return one[:-1] + "ies"
    return one + "s"


def _counted(adjective: str, refs: Iterable[RecordRef]) -> list[str]:
    counts = Counter(kind for kind, _ in refs)
    order = list(_NOUNS)
    return [
        f"{n} {adjective} {_noun(kind, n)}"
        for kind, n in sorted(
            counts.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])
        )
    ]


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def describe(
    report: MergeReport,
    store: CoupleStore | None = None,
    *,
    source: str | Path | None = None,
    direction: Literal["in", "out"] = "in",
) -> str:
    """One line for the couple: "2 new celebrations and 1 changed agreement came in from X".

    ``source`` names the copy (a path shows as its file name); without it,
    ``store`` names the partner who made every change, when it was one.
    """
    deleted = set(report.deleted)
    parts = (
        _counted("new", report.added)
        + _counted("changed", [ref for ref in report.changed if ref not in deleted])
        + _counted("deleted", report.deleted)
    )
    where = _where(report, store, source, direction)
    if not parts:
        line = f"Nothing new {'came in' if direction == 'in' else 'went out'}{where}."
    else:
        verb = "came in" if direction == "in" else "went out"
        line = f"{_joined(parts)} {verb}{where}"
        conflicts = len({(kind, rid) for kind, rid, _ in report.conflicts})
        if conflicts:
            line += f"; {conflicts} written on both sides, both versions kept"
        line += "."
    if report.skipped:
        line += (
            f" {len(report.skipped)} damaged {'record was' if len(report.skipped) == 1 else 'records were'}"
        )
        line += " skipped."
    return line


def _where(report: MergeReport, store: CoupleStore | None, source: str | Path | None, direction: str) -> str:
    word = " from " if direction == "in" else " to "
    if source is not None:
        return word + (_copy_name(source, store) if isinstance(source, Path) else str(source))
    if store is None or direction != "in":
        return ""
    editors, replicas = set(), set()
    for kind, record_id in [*report.added, *report.changed]:
        raw = store.raw_table(kind).get(record_id)
        if isinstance(raw, dict) and isinstance(raw.get("fields"), dict):
            editors.add(raw["fields"].get("edited_by"))
            stamps = raw.get("stamps")
            newest = max(stamps.values(), default="") if isinstance(stamps, dict) else ""
            replicas.add(parse_stamp(newest)[2] if is_stamp(newest) else "")
    if replicas == {store.local.replica_id}:  # written here: a command, or another window
        return " from another Kintsugi on this machine"
    if len(editors) != 1:
        return ""
    (editor,) = editors
    names = {partner.id: partner.name for partner in store.partners}
    return f" from {names[editor]}" if editor in names else ""


def _copy_name(source: Path, store: CoupleStore | None) -> str:
    """The copy's file name, and its folder too when it has our file's name."""
    if store is None or source.name != store.path.name:
        return source.name
    folder = source.absolute().parent
    with contextlib.suppress(ValueError):
        folder = Path("~") / folder.relative_to(Path.home())
    return f"{source.name} in {folder}"
