"""The ``kintsugi`` command: no argument opens the TUI, subcommands do one thing each.

Every failure the couple can cause or meet (a damaged file, a typo in an
option, a name this file does not know) is one line on stderr starting
``kintsugi: `` and exit status 2; Ctrl+C is 130. Text read from the file is
printed through ``printable`` so a partner's words can never drive the
terminal.

Import cost: this module imports only the standard library. The store
(pydantic, TinyDB) is imported by the commands that open the file, and
Textual only when the TUI is launched, so ``kintsugi --help`` and
``--version`` are instant.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from app.domain.text import printable as printable_text

if TYPE_CHECKING:
    from app.content import Texts
    from app.domain.machines import Machine
    from app.domain.models import Agreement, Partner
    from app.store.couple import CoupleStore

PROG = "kintsugi"
DISTRIBUTION = "kintsugi"
SOURCE_VERSION = "0.1.0 (source)"
EXIT_OK = 0
EXIT_PROBLEM = 2
EXIT_UNEXPECTED = 1
EXIT_INTERRUPTED = 130
SHORT_ID = 8
DEBUG_ENV = "KINTSUGI_DEBUG"
SIZES = ("small", "milestone", "anniversary")
STATUSES = ("proposed", "agreed", "changed", "to_revisit", "retired")
LOOPBACK = "127.0.0.1"


class CliError(Exception):
    """One sentence for stderr; the command stops with exit status 2."""


# -- text from the file ------------------------------------------------------------------

printable = partial(printable_text, one_line=True)
"""A partner's words on one line of output, every control character written out (``\\x1b``)."""


def say(*lines: str) -> None:
    """Lines for the couple on stdout (already passed through ``printable`` where needed)."""
    for line in lines:
        print(line)


def note(line: str) -> None:
    """A word on the side, on stderr: stdout stays the command's own output (JSON, an export)."""
    print(line, file=sys.stderr)


def _complain(message: str) -> None:
    print(f"{PROG}: {printable(message)}", file=sys.stderr)


def words() -> Texts:
    """The words the CLI says things in: content/words.toml, read the first time they are needed."""
    from app.content import load_words

    return load_words()


# -- the parser ----------------------------------------------------------------------------


class _UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block) and never exit by themselves."""

    def error(self, message: str) -> NoReturn:
        hint = f" (see `{self.prog} --help`)"
        raise _UsageError(message.rstrip(".") + hint)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return SOURCE_VERSION


class _VersionAction(argparse.Action):
    """``--version``, reading the installed version only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> NoReturn:
        say(f"{PROG} {_version()}")
        parser.exit(EXIT_OK)


def _score(text: str) -> int:
    if text.strip() not in {"1", "2", "3", "4", "5"}:
        raise argparse.ArgumentTypeError(f"connection is a number from 1 to 5, not {text!r}")
    return int(text)


def _step(text: str) -> int:
    if text.strip() not in {str(n) for n in range(1, 10)}:
        raise argparse.ArgumentTypeError(f"steps are numbered from 1 to 9, not {text!r}")
    return int(text)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"a day is written YYYY-MM-DD, like 2024-05-17, not {text!r}"
        ) from None


def _port(text: str) -> int:
    if not text.strip().isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535, not {text!r}")
    return int(text)


def _address(text: str) -> str:
    import ipaddress

    try:
        return str(ipaddress.IPv4Address(text.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"an address is written like 127.0.0.1, not {text!r}") from None


def _words(what: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"{what} needs a few words")
        return text.strip()

    return check


def _user_path(text: str) -> Path:
    from app.store.places import user_path

    return user_path(text)


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--db, --as and --version; a subcommand's copies default to SUPPRESS so they never
    overwrite a value given before the subcommand."""
    default: dict[str, Any] = {"default": argparse.SUPPRESS} if suppress else {}
    parser.add_argument(
        "--db",
        type=_user_path,
        metavar="PATH",
        help="the couple's file (default: $KINTSUGI_DB, or couple.json in your user data folder)",
        **default,
    )
    parser.add_argument(
        "--as",
        dest="acting",
        metavar="NAME",
        help="act as this partner (also tells this machine which of you it is)",
        **default,
    )
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Kintsugi: mending together, with gold along the seams. "
        "With no command, opens the notebook in your terminal.",
    )
    _global_options(parser, suppress=False)
    common = Parser(add_help=False)
    _global_options(common, suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(name: str, help_text: str) -> Parser:
        return commands.add_parser(name, parents=[common], help=help_text, description=help_text)

    init = command("init", "start a new notebook for the two of you")
    init.add_argument("--me", required=True, type=_words("your name"), metavar="NAME", help="your name")
    init.add_argument(
        "--partner",
        required=True,
        type=_words("your partner's name"),
        metavar="NAME",
        help="your partner's name",
    )
    init.add_argument(
        "--plain",
        action="store_true",
        help="keep the file readable JSON instead of sealed for your machines (the default)",
    )
    init.add_argument(
        "--start-over",
        action="store_true",
        help="start a new notebook even where this machine has known one (it may be on its way back)",
    )

    celebrate = command("celebrate", "log a step forward worth celebrating")
    celebrate.add_argument(
        "title", type=_words("a celebration"), metavar="TITLE", help="what you are celebrating"
    )
    celebrate.add_argument("--note", default="", metavar="TEXT", help="a few more words about it")
    celebrate.add_argument("--step", type=_step, metavar="N", help="the step (1-9) it belongs to")
    celebrate.add_argument("--day", type=_day, metavar="YYYY-MM-DD", help="when it happened (default: today)")
    celebrate.add_argument("--size", choices=SIZES, default="small", help="how big it feels (default: small)")

    agree = command("agree", "propose an agreement for you both to sign")
    agree.add_argument("text", type=_words("an agreement"), metavar="TEXT", help="what you are agreeing to")
    agree.add_argument("--list", type=_words("a list's name"), metavar="NAME", help="which list it goes on")

    checkin = command("checkin", "say how close you feel today")
    checkin.add_argument("score", type=_score, metavar="SCORE", help="1 (far apart) to 5 (very close)")
    checkin.add_argument("--note", default="", metavar="TEXT", help="anything you'd like to add")
    checkin.add_argument("--mood", default="", metavar="WORD", help="one word for how you feel")

    agreements = command("agreements", "list your agreements and where each one stands")
    agreements.add_argument("--list", metavar="NAME", help="only this list")
    agreements.add_argument("--status", choices=STATUSES, help="only agreements with this status")
    agreements.add_argument("--json", action="store_true", help="print JSON instead of plain lines")

    sign = command("sign", "sign an agreement's current wording")
    sign.add_argument("agreement", metavar="ID", help="the agreement's id, or its first few characters")

    check = command("check", "check that the file is whole and every record in it can be read")
    check.add_argument(
        "--restore",
        action="store_true",
        help="if it is not, merge back everything this machine kept of it (backups, what still reads)",
    )
    check.add_argument("--yes", action="store_true", help="with --restore: do not ask first")

    sync = command("sync", "merge another copy of your file (one handed over, say) into yours")
    sync.add_argument("other", type=_user_path, metavar="OTHER", help="the other copy")
    sync.add_argument("--both", action="store_true", help="also write the merged result to OTHER")
    sync.add_argument(
        "--dry-run", action="store_true", help="say what would come in and go out, write nothing"
    )

    command("git-setup", "let git merge your file itself when you pull (in the repository holding it)")

    driver = command("merge-driver", "(used by git) merge OURS and THEIRS into OURS")
    for name in ("base", "ours", "theirs"):
        driver.add_argument(name, type=Path, metavar=name.upper())

    demo = command("demo", "open a sample couple (Alex and Sam) in a temporary folder")
    demo.add_argument("--no-tui", action="store_true", help="only create it and print where it is")

    serve = command("serve", "open the app in a web browser on this machine, for the partner at it")
    serve.add_argument("--port", type=_port, default=0, metavar="N", help="the port (default: a free one)")
    serve.add_argument("--no-browser", action="store_true", help="only print the link; do not open a browser")
    serve.add_argument(
        "--host",
        type=_address,
        default=LOOPBACK,
        metavar="ADDRESS",
        help=f"the address to serve on (default: {LOOPBACK}, this machine only)",
    )
    serve.add_argument(
        "--unencrypted-over-the-network",
        action="store_true",
        help="let --host be an address other machines reach, though everything sent, "
        "the link and every word, crosses the network unencrypted",
    )

    command("machines", "the machines that open your notebook, whose each is, and those waiting to be let in")
    join = command(
        "join", "ask to be let into a sealed notebook from this machine (or open it with the recovery code)"
    )
    join.add_argument(
        "--recovery", action="store_true", help="open it with your recovery code (asked for), as --as NAME"
    )
    admit = command("admit", "let in a machine that asked, once its words match the ones you see here")
    admit.add_argument("words", nargs="+", metavar="WORD", help="the first words the new machine shows")
    admit.add_argument("--for", dest="owner", metavar="NAME", required=True, help="whose machine it is")
    command("encrypt", "seal your notebook so only your machines can read it (asks nothing of its words)")
    command("recovery", "how to open your notebook with the recovery code if every machine is lost")

    export = command("export", "write your journey out: Markdown to read, JSON to keep (no private entries)")
    export.add_argument("--format", choices=("md", "json"), default="md", help="md (default) or json")
    export.add_argument(
        "--open", type=_user_path, metavar="SEALED", help="open a sealed JSON export of this notebook instead"
    )
    export.add_argument(
        "-o",
        "--output",
        type=lambda text: Path(text).expanduser(),
        metavar="FILE",
        help="the file to write (default: print it)",
    )
    return parser


# -- opening the file ----------------------------------------------------------------------


def couple_path(args: argparse.Namespace) -> Path:
    if args.db is not None:
        return args.db
    from app.store.places import default_couple_path

    return default_couple_path()


def open_store(path: Path) -> CoupleStore:
    """The couple's store for ``path`` (not read yet)."""
    from app.store.couple import CoupleStore

    if path.is_dir():
        raise CliError(f"{path} is a folder; --db needs a file, such as {path / 'couple.json'}.")
    return CoupleStore(path)


def _missing(path: Path) -> CliError:
    return CliError(
        f"{path} does not exist yet: run `kintsugi init --me NAME --partner NAME` or just `kintsugi`"
    )


def existing_store(path: Path, acting: str | None = None) -> CoupleStore:
    """The store for a file that must already exist, read now so damage is reported first.

    ``acting`` is ``--as NAME``: a command that only reads remembers it too (``acting_partner``).
    """
    store = open_store(path)
    if not store.exists and not store.was_here:
        raise _missing(path)
    store.load()
    take_in_conflict_copies(store)
    if acting is not None:
        acting_partner(store, acting)
    return store


def take_in_conflict_copies(store: CoupleStore) -> None:
    """Merge the copies a sync service left beside the file, and say what came in."""
    from app.store.sync import came_from, merge_conflict_copies
    from app.words import left_copy_words, report_words

    for outcome in merge_conflict_copies(store):
        if outcome.report is not None:
            say(
                printable(
                    report_words(words(), outcome.report, came_from(outcome.report, store, outcome.path))
                )
            )
        else:
            _complain(left_copy_words(words(), outcome))


def acting_partner(store: CoupleStore, name: str | None) -> Partner:
    """Who is writing: ``--as NAME``, else who this machine knows it is.

    ``--as`` on a machine that does not know yet also remembers the answer.
    """
    if name is not None:
        partner = store.partner_named(name)
        if store.me is None:
            store.set_me(partner.id)
            note(f"This machine will remember that you are {printable(partner.name)}.")
        return partner
    me = store.me
    if me is None:
        names = " or ".join(printable(p.name) for p in store.partners)
        raise CliError(
            f"this machine doesn't know yet which of you it is for {store.path}: "
            f"pass --as NAME (NAME is {names}); it will remember."
        )
    return me


def launch_tui(store: CoupleStore, acting: str | None = None) -> None:
    """Open the Textual app (imported only here, so the other commands never load Textual)."""
    try:
        from app.tui.app import run_tui
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] in {"app", "textual", "rich"}:
            raise CliError(
                f"the terminal app cannot start ({error.name} is missing); the commands in "
                "`kintsugi --help` still work."
            ) from None
        raise
    run_tui(store, acting)


# -- the commands ----------------------------------------------------------------------------


def open_tui(args: argparse.Namespace) -> int:
    from app.store.storage import StoreError

    gc.disable()  # until the first screen is drawn (KintsugiApp.keep_out_of_collections)
    store = open_store(couple_path(args))
    acting = None
    if store.exists or store.was_here:  # a file on its way back is waited for, never started over
        try:
            store.load()
        except StoreError as error:
            if error.reason != "file_locked":
                raise
            launch_tui(store)  # sealed, and this machine not let in yet: the app asks to join
            return EXIT_OK
        take_in_conflict_copies(store)
        if args.acting is not None:
            acting = acting_partner(store, args.acting).id
    launch_tui(store, acting)
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    path = couple_path(args)
    store = open_store(path)
    if store.exists:
        raise CliError(
            f"{path} already exists; nothing was changed (open it with `kintsugi`, "
            "or choose another file with --db PATH)."
        )
    from app.domain.text import name_key

    names = {name_key(args.me), name_key(args.partner)}
    if args.acting is not None and name_key(args.acting) not in names:
        raise CliError(f"--as {args.acting} is neither {args.me} nor {args.partner}.")
    me, partner = store.init(args.me, args.partner, sealed=not args.plain, start_over=args.start_over)
    if args.acting is not None:
        store.set_me(store.partner_named(args.acting).id)
    say(
        f"Welcome, {printable(me.name)} and {printable(partner.name)}: "
        f"your notebook is ready at {printable(path)}."
    )
    if store.recovery_code is not None:
        say_recovery_code(store.recovery_code)
    return EXIT_OK


def say_recovery_code(code: str) -> None:
    """The recovery code, shown this once, with what it is for."""
    words = code.split()
    say(
        "It is sealed: only the machines you let in can read it. If every one of them is ever lost,",
        "these words open it again:",
        "",
        *(f"    {' '.join(words[i : i + 4])}" for i in range(0, len(words), 4)),
        "",
        "Write them on paper and keep them somewhere safe: Kintsugi keeps them nowhere, and will not",
        "show them again. (`kintsugi recovery` says how to use them.)",
    )


def cmd_celebrate(args: argparse.Namespace) -> int:
    store = existing_store(couple_path(args))
    author = acting_partner(store, args.acting)
    celebration = store.add_celebration(
        author.id, args.title, note=args.note, day=args.day, step=args.step, size=args.size
    )
    details = [f"step {celebration.step}"] if celebration.step else []
    if celebration.size != "small":
        details.append(celebration.size.value)
    if celebration.day != dt.date.today():
        details.append(celebration.day.isoformat())
    suffix = f" ({', '.join(details)})" if details else ""
    say(f"Celebrated: {printable(celebration.title)}{suffix}. That's worth a little gold.")
    return EXIT_OK


def cmd_agree(args: argparse.Namespace) -> int:
    from app.store.couple import DEFAULT_LIST

    store = existing_store(couple_path(args))
    author = acting_partner(store, args.acting)
    agreement = store.add_agreement(author.id, args.text, list_name=args.list or DEFAULT_LIST)
    list_name = next(lst.name for lst in store.agreement_lists() if lst.id == agreement.list_id)
    say(
        f"Agreement {agreement.id[:SHORT_ID]} proposed in {printable(list_name)}; "
        "it counts once you have both signed it."
    )
    return EXIT_OK


def cmd_checkin(args: argparse.Namespace) -> int:
    from app.domain.models import CheckIn

    store = existing_store(couple_path(args))
    partner = acting_partner(store, args.acting)
    today = dt.date.today()
    again = store.get(CheckIn, store.derived_id("checkin", partner.id, today.isoformat())) is not None
    checkin = store.check_in(partner.id, args.score, mood=args.mood.strip(), note=args.note, day=today)
    mood = f", {printable(checkin.mood)}" if checkin.mood else ""
    verb = "Updated today's check-in" if again else "Checked in"
    score = f"{int(checkin.connection)} of 5{mood}"
    say(f"{verb} for {printable(partner.name)}: {score}. Thank you for being honest.")
    return EXIT_OK


def cmd_agreements(args: argparse.Namespace) -> int:
    import json

    store = existing_store(couple_path(args), args.acting)
    partners = store.partners
    names = {p.id: p.name for p in partners}
    lists = {lst.id: lst for lst in store.agreement_lists()}
    if args.list is not None:
        wanted = " ".join(args.list.split()).casefold()
        if not any(lst.name.casefold() == wanted for lst in lists.values()):
            raise CliError(f"there is no list called {args.list!r}.")
        lists = {i: lst for i, lst in lists.items() if lst.name.casefold() == wanted}
    rows = []
    for agreement in store.agreements():
        status = agreement.status(names)
        if agreement.list_id not in lists or (args.status and status != args.status):
            continue
        rows.append((agreement, status))
    if args.json:
        out = [
            {
                "id": a.id,
                "list": lists[a.list_id].name,
                "text": a.text,
                "why": a.why,
                "status": status.value,
                "signed_by": [names[p] for p in names if a.signed_by(p)],
                "signatures": {names[p]: _standing(store, a, p, names) for p in names if a.signed_by(p)},
                "review_on": a.review_on.isoformat() if a.review_on else None,
            }
            for a, status in rows
        ]
        say(json.dumps(out, indent=2, ensure_ascii=True))
        return EXIT_OK
    if not rows:
        say("No agreements here yet.")
        return EXIT_OK
    for agreement, status in rows:
        signed = (
            ", ".join(
                printable(names[p]) + printable(_standing_note(_standing(store, agreement, p, names)))
                for p in names
                if agreement.signed_by(p)
            )
            or "nobody yet"
        )
        say(
            f"{agreement.id[:SHORT_ID]}  [{status.value.replace('_', ' ')}]  "
            f"{printable(lists[agreement.list_id].name)}: {printable(agreement.text)}  (signed: {signed})"
        )
    return EXIT_OK


def _standing(store: CoupleStore, agreement: Agreement, signer: str, names: dict[str, str]) -> str:
    """How a signature stands, in a few words: own machine, together at X's keyboard, ..."""
    from app.domain.machines import Standing

    view = store.signature_view(agreement, signer)
    if view.standing == Standing.TOGETHER:
        owner = store.trusted().get(view.machine, "")
        return f"together at {names.get(owner, 'another')}'s keyboard"
    return {
        Standing.OWN_MACHINE: "own machine",
        Standing.BEFORE_CHECKS: "from before signatures were checked",
        Standing.NOT_VERIFIED: "not verified",
    }.get(view.standing, "")


def _standing_note(words: str) -> str:
    return "" if words in {"own machine", "from before signatures were checked"} else f" ({words})"


def cmd_sign(args: argparse.Namespace) -> int:
    from app.domain.machines import Standing

    store = existing_store(couple_path(args))
    partner = acting_partner(store, args.acting)
    agreement = store.find_agreement(args.agreement)
    if agreement.signed_by(partner.id) and (
        store.signature_view(agreement, partner.id).standing == Standing.OWN_MACHINE
        or store.trusted().get(store.keyring.machine_id) != partner.id
    ):
        say(f"{printable(partner.name)} had already signed {agreement.id[:SHORT_ID]}; nothing changed.")
        return EXIT_OK
    agreement = store.sign(agreement.id, partner.id)
    other = store.other(partner.id)
    if agreement.signed_by(other.id):
        say(f"Signed. You have both agreed: {printable(agreement.text)}")
    else:
        say(f"Signed as {printable(partner.name)}; it waits for {printable(other.name)}.")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from app.store.sync import came_from, sync_with
    from app.words import report_words

    store = existing_store(couple_path(args), args.acting)
    outcome = sync_with(store, args.other, both=args.both, dry_run=args.dry_run)
    lead = "Would merge (nothing written): " if args.dry_run else ""
    origin = came_from(outcome.came_in, store, args.other)
    say(printable(lead + report_words(words(), outcome.came_in, origin)))
    if args.both or args.dry_run:
        say(printable(report_words(words(), outcome.went_out, origin, direction="out")))
    return EXIT_OK


def cmd_git_setup(args: argparse.Namespace) -> int:
    from app.store.sync import git_setup

    existing_store(couple_path(args), args.acting)
    say(*(printable(line) for line in git_setup(couple_path(args))))
    return EXIT_OK


def cmd_merge_driver(args: argparse.Namespace) -> int:
    from app.store.sync import merge_driver

    return merge_driver(args.base, args.ours, args.theirs)


def cmd_check(args: argparse.Namespace) -> int:
    from app.store.storage import StoreError, records_of
    from app.words import error_words

    path = couple_path(args)
    try:
        store = existing_store(path)
        for _ in store.reading_all():
            pass
    except StoreError as error:
        said = error_words(error, words())
        if args.restore:
            why = f"{path} is missing or not whole" if error.reason == "file_not_arrived" else said
            return restore_backup(open_store(path), why.rstrip("."), assume_yes=args.yes)
        raise CliError(said + _restore_hint(open_store(path))) from None
    problems = [
        f"{printable(kind)} {printable(rid[:SHORT_ID])}: {printable(what.removeprefix(kind + ' '))}"
        for kind, rid, what in store.problems()
    ]
    partners = store.partners
    if len(partners) != 2:
        problems.append(f"the file names {len(partners)} partners; a notebook has two")
    newer = store.from_newer()
    kept = ""
    if newer:
        kept = f"; {newer} written by a newer Kintsugi: kept as {'they are' if newer > 1 else 'it is'}"
    if problems:
        if args.restore:
            why = f"{len(problems)} records are damaged"
            return restore_backup(store, why, assume_yes=args.yes)
        count = f"{len(problems)} problem" + ("s" if len(problems) > 1 else "")
        say(f"{printable(path)}: {count}, nothing was changed{kept}:", *(f"  {line}" for line in problems))
        return EXIT_PROBLEM
    from app.store.sealing import PLAIN_KINDS

    data = store.storage.read() or {}
    count = sum(len(table) for kind, table in records_of(data).items() if kind not in PLAIN_KINDS)
    first, second = (printable(p.name) for p in partners)
    say(f"{printable(path)}: OK, {count} records, partners {first} and {second}{kept}")
    return EXIT_OK


def _restore_hint(store: CoupleStore) -> str:
    from app.store.backups import backups

    if not backups(store.places):
        return ""
    return " `kintsugi check --restore` can merge back everything this machine kept of it."


def restore_backup(store: CoupleStore, why: str, *, assume_yes: bool) -> int:
    """Merge back everything this machine kept of the file, after the couple says yes.

    It says first, in numbers, what goes into the merge and what (if anything)
    cannot be read; the file it replaces is set aside whole.
    """
    from app.store.backups import plan_restore, restore, taken_at
    from app.store.storage import StoreError
    from app.words import day_words

    try:
        plan = plan_restore(store.places, store.keyring)
    except StoreError:
        raise CliError(f"{why}, and this machine has nothing of {store.path} to restore from.") from None
    parts = []
    if plan.newest is not None:
        when = day_words(words(), taken_at(plan.newest), "moment")
        many = len(plan.backups) > 1
        parts.append(f"{len(plan.backups)} backup{'s' if many else ''} (the newest taken {when})")
    if plan.from_file:
        parts.append(f"the {plan.from_file} records of the file that still read")
    if plan.others:
        copies = "copies" if len(plan.others) > 1 else "copy"
        parts.append(f"{len(plan.others)} other {copies} this machine kept")
    merged = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    told = []
    if plan.recovered:
        one = plan.recovered == 1
        many = "" if one else "s"
        told.append(
            f"{plan.recovered} unreadable record{many} of the file come{'s' if one else ''} back "
            f"from the backup{many} holding {'it' if one else 'them'}"
        )
    if plan.lost:
        one = plan.lost == 1
        told.append(
            f"{plan.lost} record{'' if one else 's'} of the file cannot be read and no backup holds "
            f"{'it' if one else 'them'}: only the copy set aside keeps {'it' if one else 'them'}"
        )
    lost = "; ".join(told) if told else "nothing is lost"
    plan_line = f"{printable(why)}. Restoring merges {merged}; {lost}."
    if assume_yes:
        say(plan_line)
    else:
        if not sys.stdin.isatty():
            raise CliError(f"{why}; restoring would merge {merged} ({lost}): run again with --yes.")
        if input(f"{plan_line} Go ahead? [y/N] ").strip().casefold() not in {"y", "yes"}:
            say("Nothing was changed.")
            return EXIT_PROBLEM
    kept = restore(store.places, plan, keyring=store.keyring)
    where = f"; the file it replaced is kept at {printable(kept)}" if kept else ""
    say(f"Restored by merging {merged}{where}.")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from app.demo import make_demo_couple
    from app.store.local import LocalState

    folder = Path(tempfile.mkdtemp(prefix="kintsugi-demo-"))  # 0700
    os.environ["KINTSUGI_LOCAL"] = str(folder / "local.json")  # this machine's "me" for the sample
    os.environ["KINTSUGI_DB"] = str(folder / "couple.json")  # so nothing opened later finds the real file
    store = make_demo_couple(folder / "couple.json", LocalState(), dt.date.today())
    acting = acting_partner(store, args.acting).id if args.acting is not None else None
    if args.no_tui:
        say(printable(store.path))
        return EXIT_OK
    say(f"Alex and Sam's sample notebook is at {printable(store.path)} (delete the folder when you're done).")
    launch_tui(store, acting)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from app.content import load_content
    from app.export import export_json, export_markdown, open_export, save_export

    store = existing_store(couple_path(args), args.acting)
    if args.open is not None:
        document = open_export(store, args.open.read_text(encoding="utf-8"))
    elif args.format == "md":
        document = export_markdown(store, load_content())
    else:
        document = export_json(store)
    if args.output is None:
        sys.stdout.write(document)  # partner text is already escaped (Markdown) or ASCII (JSON)
        return EXIT_OK
    path = save_export(args.output, document)
    say(f"Wrote your journey to {printable(path)}.")
    if args.open is None and args.format == "md":
        say("It is plain text, meant to be read: keep it where only the two of you look.")
    elif args.open is None and store.sealed:
        say("It is sealed like your notebook: only your machines open it (`kintsugi export --open FILE`).")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    import ipaddress

    try:
        from app import serve
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] in {"aiohttp", "textual_serve"}:
            raise CliError(
                f"serving to a browser needs textual-serve: {sys.executable} -m pip install 'kintsugi[web]'"
            ) from None
        raise
    host = ipaddress.IPv4Address(args.host)
    if host.is_unspecified:
        raise CliError(f"--host needs the one address the browser will use, not {host}.")
    if not host.is_loopback and not args.unencrypted_over_the_network:
        raise CliError(
            f"{host} can be reached from other machines, and nothing sent to them is encrypted: "
            "the link and every word would cross the network readable; add "
            "--unencrypted-over-the-network to do it anyway."
        )
    store = existing_store(couple_path(args))
    partner = acting_partner(store, args.acting)
    command = serve.served_command(store.path, args.acting)

    def announce(url: str) -> None:
        print(f"Kintsugi for {printable(partner.name)}, in a browser: {url}", flush=True)
        print("Anyone with this link can open your notebook while it runs. Ctrl+C stops it.", flush=True)

    with serve.listening_socket(str(host), args.port) as sock:
        serve.serve(command, sock, open_browser=not args.no_browser, announce=announce)
    say("Stopped; every tab's app has closed.")
    return EXIT_OK


def _machine_words(machine: Machine) -> str:
    from app.domain.machines import words_for
    from app.domain.wordlist import WORDS

    return " ".join(words_for(machine.sign_key, machine.box_key, list(WORDS)))


def cmd_machines(args: argparse.Namespace) -> int:
    store = existing_store(couple_path(args))
    names = {p.id: printable(p.name) for p in store.partners}
    trusted = store.trusted()
    mine = store.keyring.machine_id
    for machine in sorted(store.machines().values(), key=lambda m: (m.id != mine, m.created)):
        owner = names.get(trusted.get(machine.id, machine.partner), "")
        if machine.id == mine:
            whose = f" ({owner}'s)" if owner else ""
            say(f"This machine{whose}: {_machine_words(machine)}")
        elif machine.id in trusted:
            say(f"{owner}'s machine: {_machine_words(machine)}")
        else:
            claim = f", says it is {names[machine.partner]}'s" if machine.partner in names else ""
            say(f"Waiting to be let in{claim}: {_machine_words(machine)}")
    if store.waiting_machines():
        say(
            "",
            "If a waiting machine shows the very same words on its own screen, let it in with",
            "`kintsugi admit WORD... --for NAME` (its first words, and whose machine it is).",
        )
    return EXIT_OK


def cmd_join(args: argparse.Namespace) -> int:
    from app.store.joining import ask_to_join, is_let_in, recover

    path = couple_path(args)
    store = open_store(path)
    if not store.exists:
        raise _missing(path)
    if args.recovery:
        if args.acting is None:
            raise CliError("with --recovery, say who you are with --as NAME.")
        if not sys.stdin.isatty():
            code = sys.stdin.readline()
        else:
            import getpass

            code = getpass.getpass("Your recovery code (the words, in order): ")
        recover(store, code, args.acting)
        say("This machine opens your notebook again; the recovery code still works for the next time.")
        return EXIT_OK
    if is_let_in(store):
        store.load()
        me = acting_partner(store, args.acting)
        say(f"This machine already opens {printable(path)}, as {printable(me.name)}'s.")
        return EXIT_OK
    machine = ask_to_join(store)
    say(
        "This machine asks to be let in. Its words are:",
        "",
        f"    {_machine_words(machine)}",
        "",
        "On a machine that already opens your notebook, run `kintsugi machines` (or look at",
        "Our file in the app): when it shows these very words, let this one in with",
        "`kintsugi admit WORD... --for NAME`. Then open the notebook here again.",
    )
    return EXIT_OK


def cmd_admit(args: argparse.Namespace) -> int:
    store = existing_store(couple_path(args))
    me = acting_partner(store, args.acting)
    owner = store.partner_named(args.owner)
    wanted = [word.casefold() for word in args.words]
    found = [m for m in store.waiting_machines() if _machine_words(m).split()[: len(wanted)] == wanted]
    if not found:
        raise CliError("no machine waiting to be let in shows those words; `kintsugi machines` lists them.")
    if len(found) > 1:
        raise CliError(f"{len(found)} waiting machines start with those words; give a few more.")
    store.vouch(found[0].id, owner.id, me.id)
    say(f"Let in {printable(owner.name)}'s machine ({_machine_words(found[0])}). It opens your notebook now.")
    return EXIT_OK


def cmd_encrypt(args: argparse.Namespace) -> int:
    store = existing_store(couple_path(args))
    me = acting_partner(store, args.acting)
    code = store.encrypt(me.id)
    say(f"Sealed {printable(store.path)} for your machines.")
    say_recovery_code(code)
    return EXIT_OK


def cmd_recovery(args: argparse.Namespace) -> int:
    say(
        "Your recovery code is the twelve words shown once when your notebook was sealed. If every",
        "machine that opens it is lost, on a new machine with the synced (or a copied) file, run:",
        "",
        "    kintsugi join --recovery --as YOUR_NAME",
        "",
        "and type the words when asked. That machine then opens the notebook as it did before;",
        "your partner's app will ask to confirm it, once, by its words.",
    )
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "celebrate": cmd_celebrate,
    "agree": cmd_agree,
    "checkin": cmd_checkin,
    "agreements": cmd_agreements,
    "sign": cmd_sign,
    "check": cmd_check,
    "sync": cmd_sync,
    "git-setup": cmd_git_setup,
    "merge-driver": cmd_merge_driver,
    "demo": cmd_demo,
    "export": cmd_export,
    "serve": cmd_serve,
    "machines": cmd_machines,
    "join": cmd_join,
    "admit": cmd_admit,
    "encrypt": cmd_encrypt,
    "recovery": cmd_recovery,
}


# -- the entry point -------------------------------------------------------------------------


def _store_error(error: BaseException) -> bool:
    """True for ``app.store.storage.StoreError`` (checked without importing the store)."""
    storage = sys.modules.get("app.store.storage")
    return storage is not None and isinstance(error, storage.StoreError)


def main(argv: list[str] | None = None) -> int:
    """Run ``kintsugi`` with ``argv`` (default: the command line); returns the exit status."""
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as done:  # --help and --version
            return done.code if isinstance(done.code, int) else EXIT_OK
        if args.command is None:
            return open_tui(args)
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except (CliError, _UsageError) as error:
        _complain(str(error))
        return EXIT_PROBLEM
    except Exception as error:
        if _store_error(error):
            from app.words import error_words

            _complain(error_words(error, words()))
            return EXIT_PROBLEM
        if isinstance(error, OSError) and error.strerror:
            where = f"{error.filename}: " if error.filename else ""
            _complain(f"{where}{error.strerror}")
            return EXIT_PROBLEM
        if os.environ.get(DEBUG_ENV):
            raise
        _complain(
            f"something went wrong that Kintsugi did not expect ({type(error).__name__}: {error}); "
            f"set {DEBUG_ENV}=1 to see the details."
        )
        return EXIT_UNEXPECTED
