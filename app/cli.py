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
EXIT_NOT_MERGED = 1  # git's merge driver: git reports a conflict
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
    """What the CLI says things in: content/cli.toml and words.toml, read the first time it speaks."""
    from app.content import load_words

    return load_words()


def said(key: str, **fmt: object) -> str:
    """The words at ``key`` (``"cli.sign.agreed"``), filled in; a partner's words are passed in
    through ``printable`` by the caller."""
    return words().text(key, **fmt)


# -- the parser ----------------------------------------------------------------------------


class _UsageError(Exception):
    pass


class _Said(str):
    """Where the parser wants a help text or a description: the key of the words (``said``), read
    only when the help is shown (``_WordsFormatter``), so that opening the TUI reads none of
    content/cli.toml. The string itself is the key."""

    fmt: dict[str, object]

    def __new__(cls, key: str, **fmt: object) -> _Said:
        said_later = super().__new__(cls, key)
        said_later.fmt = fmt
        return said_later

    def words(self) -> str:
        return said(str(self), **self.fmt)


def _words_of(text: str | None) -> str | None:
    return text.words() if isinstance(text, _Said) else text


class _WordsFormatter(argparse.HelpFormatter):
    """Argparse's help, with the words of each ``_Said`` read as it is shown."""

    def _get_help_string(self, action: argparse.Action) -> str | None:  # argparse's way to adapt it
        return _words_of(action.help)

    def add_text(self, text: str | None) -> None:
        super().add_text(_words_of(text))


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block) and never exit by themselves;
    its help's words read when it is shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _WordsFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise _UsageError(said("cli.see_help", problem=message.rstrip("."), prog=self.prog))


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
        raise argparse.ArgumentTypeError(said("cli.invalid.score", text=text))
    return int(text)


def _step(text: str) -> int:
    if text.strip() not in {str(n) for n in range(1, 10)}:
        raise argparse.ArgumentTypeError(said("cli.invalid.step", text=text))
    return int(text)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(said("cli.invalid.day", text=text)) from None


def _port(text: str) -> int:
    if not text.strip().isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(said("cli.invalid.port", text=text))
    return int(text)


def _address(text: str) -> str:
    import ipaddress

    try:
        return str(ipaddress.IPv4Address(text.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(said("cli.invalid.address", text=text)) from None


def _words(what: str) -> Callable[[str], str]:
    """A check that the argument has a few words; ``what`` names it (a key of [cli.invalid])."""

    def check(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(
                said("cli.invalid.needs_words", what=said(f"cli.invalid.{what}"))
            )
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
        help=_Said("cli.options.db"),
        **default,
    )
    parser.add_argument(
        "--as",
        dest="acting",
        metavar="NAME",
        help=_Said("cli.options.as"),
        **default,
    )
    parser.add_argument("--version", action=_VersionAction, help=_Said("cli.options.version"))


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description=_Said("cli.description"))
    _global_options(parser, suppress=False)
    common = Parser(add_help=False)
    _global_options(common, suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(name: str) -> Parser:
        help_text = _Said(f"cli.commands.{name}")
        return commands.add_parser(name, parents=[common], help=help_text, description=help_text)

    def helped(what: str) -> str:
        return _Said(f"cli.arguments.{what}")

    init = command("init")
    init.add_argument("--me", required=True, type=_words("your_name"), metavar="NAME", help=helped("me"))
    init.add_argument(
        "--partner", required=True, type=_words("partner_name"), metavar="NAME", help=helped("partner")
    )
    init.add_argument("--plain", action="store_true", help=helped("plain"))
    init.add_argument("--start-over", action="store_true", help=helped("start_over"))

    celebrate = command("celebrate")
    celebrate.add_argument("title", type=_words("celebration"), metavar="TITLE", help=helped("title"))
    celebrate.add_argument("--note", default="", metavar="TEXT", help=helped("celebration_note"))
    celebrate.add_argument("--step", type=_step, metavar="N", help=helped("step"))
    celebrate.add_argument("--day", type=_day, metavar="YYYY-MM-DD", help=helped("day"))
    celebrate.add_argument("--size", choices=SIZES, default="small", help=helped("size"))

    agree = command("agree")
    agree.add_argument("text", type=_words("agreement"), metavar="TEXT", help=helped("agreement_text"))
    agree.add_argument("--list", type=_words("list_name"), metavar="NAME", help=helped("list"))

    checkin = command("checkin")
    checkin.add_argument("score", type=_score, metavar="SCORE", help=helped("score"))
    checkin.add_argument("--note", default="", metavar="TEXT", help=helped("checkin_note"))
    checkin.add_argument("--mood", default="", metavar="WORD", help=helped("mood"))

    agreements = command("agreements")
    agreements.add_argument("--list", metavar="NAME", help=helped("only_list"))
    agreements.add_argument("--status", choices=STATUSES, help=helped("status"))
    agreements.add_argument("--json", action="store_true", help=helped("json"))

    sign = command("sign")
    sign.add_argument("agreement", metavar="ID", help=helped("agreement_id"))

    check = command("check")
    check.add_argument("--restore", action="store_true", help=helped("restore"))
    check.add_argument("--yes", action="store_true", help=helped("yes"))

    sync = command("sync")
    sync.add_argument("other", type=_user_path, metavar="OTHER", help=helped("other"))
    sync.add_argument("--both", action="store_true", help=helped("both"))
    sync.add_argument("--dry-run", action="store_true", help=helped("dry_run"))

    command("git-setup")

    driver = command("merge-driver")
    for name in ("base", "ours", "theirs"):
        driver.add_argument(name, type=Path, metavar=name.upper())

    demo = command("demo")
    demo.add_argument("--no-tui", action="store_true", help=helped("no_tui"))

    serve = command("serve")
    serve.add_argument("--port", type=_port, default=0, metavar="N", help=helped("port"))
    serve.add_argument("--no-browser", action="store_true", help=helped("no_browser"))
    serve.add_argument(
        "--host",
        type=_address,
        default=LOOPBACK,
        metavar="ADDRESS",
        help=_Said("cli.arguments.host", loopback=LOOPBACK),
    )
    serve.add_argument("--unencrypted-over-the-network", action="store_true", help=helped("unencrypted"))

    command("machines")
    join = command("join")
    join.add_argument("--recovery", action="store_true", help=helped("recovery"))
    admit = command("admit")
    admit.add_argument("words", nargs="+", metavar="WORD", help=helped("words"))
    admit.add_argument("--for", dest="owner", metavar="NAME", required=True, help=helped("for"))
    command("encrypt")
    command("recovery")

    export = command("export")
    export.add_argument("--format", choices=("md", "json"), default="md", help=helped("format"))
    export.add_argument("--open", type=_user_path, metavar="SEALED", help=helped("open"))
    export.add_argument(
        "-o", "--output", type=lambda text: Path(text).expanduser(), metavar="FILE", help=helped("output")
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
        raise CliError(said("cli.db_is_folder", path=path, example=path / "couple.json"))
    return CoupleStore(path)


def _missing(path: Path) -> CliError:
    return CliError(said("cli.missing", path=path))


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
    from app.words import listed

    if name is not None:
        partner = store.partner_named(name)
        if store.me is None:
            store.set_me(partner.id)
            note(said("cli.will_remember", name=printable(partner.name)))
        return partner
    me = store.me
    if me is None:
        names = listed(words(), [printable(p.name) for p in store.partners], "or")
        raise CliError(said("cli.who_are_you", path=store.path, names=names))
    return me


def launch_tui(store: CoupleStore, acting: str | None = None) -> None:
    """Open the Textual app (imported only here, so the other commands never load Textual)."""
    try:
        from app.tui.app import run_tui
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] in {"app", "textual", "rich"}:
            raise CliError(said("cli.no_terminal_app", missing=error.name)) from None
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
        raise CliError(said("cli.init.exists", path=path))
    from app.domain.text import name_key

    names = {name_key(args.me), name_key(args.partner)}
    if args.acting is not None and name_key(args.acting) not in names:
        raise CliError(said("cli.init.not_either", name=args.acting, me=args.me, partner=args.partner))
    me, partner = store.init(args.me, args.partner, sealed=not args.plain, start_over=args.start_over)
    if args.acting is not None:
        store.set_me(store.partner_named(args.acting).id)
    say(
        said("cli.init.welcome", me=printable(me.name), partner=printable(partner.name), path=printable(path))
    )
    if store.recovery_code is not None:
        say_recovery_code(store.recovery_code)
    return EXIT_OK


def say_recovery_code(code: str) -> None:
    """The recovery code, shown this once, with what it is for."""
    code_words = code.split()
    lines = (
        said("cli.recovery_code.line", words=" ".join(code_words[i : i + 4]))
        for i in range(0, len(code_words), 4)
    )
    say(said("cli.recovery_code.shown", code="\n".join(lines)))


def cmd_celebrate(args: argparse.Namespace) -> int:
    store = existing_store(couple_path(args))
    author = acting_partner(store, args.acting)
    celebration = store.add_celebration(
        author.id, args.title, note=args.note, day=args.day, step=args.step, size=args.size
    )
    details = [said("cli.celebrate.step", number=celebration.step)] if celebration.step else []
    if celebration.size != "small":
        details.append(celebration.size.value)
    if celebration.day != dt.date.today():
        details.append(celebration.day.isoformat())
    suffix = (
        said("cli.celebrate.details", details=words().text("lists.comma").join(details)) if details else ""
    )
    say(said("cli.celebrate.done", title=printable(celebration.title), details=suffix))
    return EXIT_OK


def cmd_agree(args: argparse.Namespace) -> int:
    from app.store.agreements import DEFAULT_LIST

    store = existing_store(couple_path(args))
    author = acting_partner(store, args.acting)
    agreement = store.add_agreement(author.id, args.text, list_name=args.list or DEFAULT_LIST)
    list_name = next(lst.name for lst in store.agreement_lists() if lst.id == agreement.list_id)
    say(said("cli.agree.proposed", id=agreement.id[:SHORT_ID], list=printable(list_name)))
    return EXIT_OK


def cmd_checkin(args: argparse.Namespace) -> int:
    from app.domain.models import CheckIn

    store = existing_store(couple_path(args))
    partner = acting_partner(store, args.acting)
    today = dt.date.today()
    again = store.get(CheckIn, store.derived_id("checkin", partner.id, today.isoformat())) is not None
    checkin = store.check_in(partner.id, args.score, mood=args.mood.strip(), note=args.note, day=today)
    score = int(checkin.connection)
    if checkin.mood:
        scored = said("cli.checkin.score_and_mood", score=score, mood=printable(checkin.mood))
    else:
        scored = said("cli.checkin.score", score=score)
    say(
        said("cli.checkin.again" if again else "cli.checkin.done", name=printable(partner.name), score=scored)
    )
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
            raise CliError(said("cli.agreements.no_list", name=args.list))
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
                "signatures": {names[p]: _standing(store, a, p, names)[1] for p in names if a.signed_by(p)},
                "review_on": a.review_on.isoformat() if a.review_on else None,
            }
            for a, status in rows
        ]
        say(json.dumps(out, indent=2, ensure_ascii=True))
        return EXIT_OK
    if not rows:
        say(said("cli.agreements.none"))
        return EXIT_OK
    for agreement, status in rows:
        signers = [_signer(store, agreement, p, names) for p in names if agreement.signed_by(p)]
        say(
            said(
                "cli.agreements.row",
                id=agreement.id[:SHORT_ID],
                status=status.value.replace("_", " "),
                list=printable(lists[agreement.list_id].name),
                text=printable(agreement.text),
                signed=words().text("lists.comma").join(signers) or said("cli.agreements.nobody"),
            )
        )
    return EXIT_OK


def _standing(
    store: CoupleStore, agreement: Agreement, signer: str, names: dict[str, str]
) -> tuple[bool, str]:
    """How a signature stands, in a few words (own machine, together at X's keyboard, ...), and
    whether the plain list says so too (not for the signer's own machine, nor one from before
    signatures were checked)."""
    from app.domain.machines import Standing

    view = store.signature_view(agreement, signer)
    if view.standing == Standing.TOGETHER:
        owner = names.get(store.trusted().get(view.machine, ""), said("cli.standing.another"))
        return True, said("cli.standing.together", name=owner)
    key = {
        Standing.OWN_MACHINE: "own_machine",
        Standing.BEFORE_CHECKS: "before_checks",
        Standing.NOT_VERIFIED: "not_verified",
    }.get(view.standing)
    quiet = view.standing in {Standing.OWN_MACHINE, Standing.BEFORE_CHECKS}
    return not quiet and key is not None, said(f"cli.standing.{key}") if key else ""


def _signer(store: CoupleStore, agreement: Agreement, signer: str, names: dict[str, str]) -> str:
    """A signer in the plain list: their name, and how their signature stands when that is worth saying."""
    told, standing = _standing(store, agreement, signer, names)
    if told:
        return said(
            "cli.agreements.signer_standing", name=printable(names[signer]), standing=printable(standing)
        )
    return said("cli.agreements.signer", name=printable(names[signer]))


def cmd_sign(args: argparse.Namespace) -> int:
    from app.domain.machines import Standing

    store = existing_store(couple_path(args))
    partner = acting_partner(store, args.acting)
    agreement = store.find_agreement(args.agreement)
    if agreement.signed_by(partner.id) and (
        store.signature_view(agreement, partner.id).standing == Standing.OWN_MACHINE
        or store.trusted().get(store.keyring.machine_id) != partner.id
    ):
        say(said("cli.sign.already", name=printable(partner.name), id=agreement.id[:SHORT_ID]))
        return EXIT_OK
    agreement = store.sign(agreement.id, partner.id)
    other = store.other(partner.id)
    if agreement.signed_by(other.id):
        say(said("cli.sign.agreed", text=printable(agreement.text)))
    else:
        say(said("cli.sign.waiting", name=printable(partner.name), other=printable(other.name)))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from app.store.sync import came_from, sync_with
    from app.words import report_words

    store = existing_store(couple_path(args), args.acting)
    outcome = sync_with(store, args.other, both=args.both, dry_run=args.dry_run)
    origin = came_from(outcome.came_in, store, args.other)
    came_in = report_words(words(), outcome.came_in, origin)
    say(printable(said("cli.sync.dry_run", report=came_in) if args.dry_run else came_in))
    if args.both or args.dry_run:
        say(printable(report_words(words(), outcome.went_out, origin, direction="out")))
    return EXIT_OK


def cmd_git_setup(args: argparse.Namespace) -> int:
    from app.store.sync import git_setup

    existing_store(couple_path(args), args.acting)
    done = git_setup(couple_path(args))
    if done.added:
        say(printable(said("cli.git_setup.added", line=done.line, file=done.attributes)))
    else:
        say(printable(said("cli.git_setup.already", file=done.attributes, path=done.relative)))
    if done.ignored is not None:
        say(printable(said("cli.git_setup.ignored", pattern=done.ignored, file=done.gitignore)))
    say(printable(said("cli.git_setup.driver", folder=done.git_folder)))
    return EXIT_OK


def cmd_merge_driver(args: argparse.Namespace) -> int:
    """git's merge driver: 0 when merged; 1, ours untouched, so git reports a conflict."""
    from app.store.storage import StoreError
    from app.store.sync import merge_driver
    from app.words import counted, error_words

    try:
        report = merge_driver(args.base, args.ours, args.theirs)
    except StoreError as error:
        note(said("cli.merge_driver.problem", problem=error_words(error, words())))
        return EXIT_NOT_MERGED
    if report.skipped:
        note(counted(words(), "cli.merge_driver.skipped", len(report.skipped)))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from app.store.couple_file import records_of
    from app.store.storage import StoreError
    from app.words import counted, error_words

    path = couple_path(args)
    try:
        store = existing_store(path)
        for _ in store.reading_all():
            pass
    except StoreError as error:
        told = error_words(error, words())
        if args.restore:
            why = said("cli.check.not_whole", path=path) if error.reason == "file_not_arrived" else told
            return restore_backup(open_store(path), why.rstrip("."), assume_yes=args.yes)
        raise CliError(_with_restore_hint(told, open_store(path))) from None
    problems = [
        said(
            "cli.check.problem",
            kind=printable(kind),
            id=printable(rid[:SHORT_ID]),
            what=printable(what.removeprefix(kind + " ")),
        )
        for kind, rid, what in store.problems()
    ]
    partners = store.partners
    if len(partners) != 2:
        problems.append(said("cli.check.partners", count=len(partners)))
    newer = store.from_newer()
    kept = counted(words(), "cli.check.newer", newer) if newer else ""
    if problems:
        if args.restore:
            return restore_backup(store, said("cli.check.damaged", count=len(problems)), assume_yes=args.yes)
        say(
            counted(words(), "cli.check.problems", len(problems), path=printable(path), newer=kept),
            *(said("cli.check.problem_line", problem=line) for line in problems),
        )
        return EXIT_PROBLEM
    from app.store.sealing import PLAIN_KINDS

    data = store.storage.read() or {}
    count = sum(len(table) for kind, table in records_of(data).items() if kind not in PLAIN_KINDS)
    first, second = (printable(p.name) for p in partners)
    say(said("cli.check.ok", path=printable(path), count=count, first=first, second=second, newer=kept))
    return EXIT_OK


def _with_restore_hint(problem: str, store: CoupleStore) -> str:
    """The problem, and that ``check --restore`` can mend it when this machine kept backups."""
    from app.store.backups import backups

    if not backups(store.places):
        return problem
    return said("cli.check.restore_hint", problem=problem)


def restore_backup(store: CoupleStore, why: str, *, assume_yes: bool) -> int:
    """Merge back everything this machine kept of the file, after the couple says yes.

    It says first, in numbers, what goes into the merge and what (if anything)
    cannot be read; the file it replaces is set aside whole.
    """
    from app.store.backups import plan_restore, restore, taken_at
    from app.store.storage import StoreError
    from app.words import counted, day_words, listed

    told = words()
    try:
        plan = plan_restore(store.places, store.keyring)
    except StoreError:
        raise CliError(said("cli.restore.nothing", why=why, path=store.path)) from None
    parts = []
    if plan.newest is not None:
        when = day_words(told, taken_at(plan.newest), "moment")
        parts.append(counted(told, "cli.restore.backups", len(plan.backups), when=when))
    if plan.from_file:
        parts.append(said("cli.restore.from_file", count=plan.from_file))
    if plan.others:
        parts.append(counted(told, "cli.restore.others", len(plan.others)))
    merged = listed(told, parts)
    losses = [
        counted(told, f"cli.restore.{key}", count)
        for key, count in (("recovered", plan.recovered), ("lost", plan.lost))
        if count
    ]
    lost = said("cli.restore.told").join(losses) if losses else said("cli.restore.nothing_lost")
    plan_line = said("cli.restore.plan", why=printable(why), merged=merged, lost=lost)
    if assume_yes:
        say(plan_line)
    else:
        if not sys.stdin.isatty():
            raise CliError(said("cli.restore.ask_first", why=why, merged=merged, lost=lost))
        if input(said("cli.restore.go_ahead", plan=plan_line)).strip().casefold() not in told.value(
            "cli.restore.yes"
        ):
            say(said("cli.restore.not_changed"))
            return EXIT_PROBLEM
    kept = restore(store.places, plan, keyring=store.keyring)
    if kept:
        say(said("cli.restore.done_kept", merged=merged, path=printable(kept)))
    else:
        say(said("cli.restore.done", merged=merged))
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
    say(said("cli.demo.where", path=printable(store.path)))
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
    say(said("cli.export.written", path=printable(path)))
    if args.open is None and args.format == "md":
        say(said("cli.export.plain"))
    elif args.open is None and store.sealed:
        say(said("cli.export.sealed"))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    import ipaddress

    try:
        from app import serve
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] in {"aiohttp", "textual_serve"}:
            raise CliError(said("cli.serve.needs_web", python=sys.executable)) from None
        raise
    host = ipaddress.IPv4Address(args.host)
    if host.is_unspecified:
        raise CliError(said("cli.serve.unspecified", host=host))
    if not host.is_loopback and not args.unencrypted_over_the_network:
        raise CliError(said("cli.serve.unencrypted", host=host))
    store = existing_store(couple_path(args))
    partner = acting_partner(store, args.acting)
    command = serve.served_command(store.path, args.acting)

    def announce(url: str) -> None:
        print(said("cli.serve.link", name=printable(partner.name), url=url), flush=True)
        print(said("cli.serve.anyone"), flush=True)

    with serve.listening_socket(str(host), args.port) as sock:
        serve.serve(command, sock, open_browser=not args.no_browser, announce=announce)
    say(said("cli.serve.stopped"))
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
        shown = _machine_words(machine)
        if machine.id == mine:
            say(
                said("cli.machines.this_whose", name=owner, words=shown)
                if owner
                else said("cli.machines.this", words=shown)
            )
        elif machine.id in trusted:
            say(said("cli.machines.theirs", name=owner, words=shown))
        elif machine.partner in names:
            say(said("cli.machines.waiting_says", name=names[machine.partner], words=shown))
        else:
            say(said("cli.machines.waiting", words=shown))
    if store.waiting_machines():
        say("", said("cli.machines.how_to_admit"))
    return EXIT_OK


def cmd_join(args: argparse.Namespace) -> int:
    from app.store.joining import ask_to_join, is_let_in, recover

    path = couple_path(args)
    store = open_store(path)
    if not store.exists:
        raise _missing(path)
    if args.recovery:
        if args.acting is None:
            raise CliError(said("cli.join.say_who"))
        if not sys.stdin.isatty():
            code = sys.stdin.readline()
        else:
            import getpass

            code = getpass.getpass(said("cli.join.ask_code"))
        recover(store, code, args.acting)
        say(said("cli.join.recovered"))
        return EXIT_OK
    if is_let_in(store):
        store.load()
        me = acting_partner(store, args.acting)
        say(said("cli.join.already", path=printable(path), name=printable(me.name)))
        return EXIT_OK
    machine = ask_to_join(store)
    say(said("cli.join.asked", words=_machine_words(machine)))
    return EXIT_OK


def cmd_admit(args: argparse.Namespace) -> int:
    store = existing_store(couple_path(args))
    me = acting_partner(store, args.acting)
    owner = store.partner_named(args.owner)
    wanted = [word.casefold() for word in args.words]
    found = [m for m in store.waiting_machines() if _machine_words(m).split()[: len(wanted)] == wanted]
    if not found:
        raise CliError(said("cli.admit.no_match"))
    if len(found) > 1:
        raise CliError(said("cli.admit.several", count=len(found)))
    store.vouch(found[0].id, owner.id, me.id)
    say(said("cli.admit.let_in", name=printable(owner.name), words=_machine_words(found[0])))
    return EXIT_OK


def cmd_encrypt(args: argparse.Namespace) -> int:
    store = existing_store(couple_path(args))
    me = acting_partner(store, args.acting)
    code = store.encrypt(me.id)
    say(said("cli.encrypt.sealed", path=printable(store.path)))
    say_recovery_code(code)
    return EXIT_OK


def cmd_recovery(args: argparse.Namespace) -> int:
    say(said("cli.recovery.how"))
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
        gc.enable()  # off while the modules loaded (app/__main__.py)
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
        _complain(_unexpected(error))
        return EXIT_UNEXPECTED


def _unexpected(error: Exception) -> str:
    """What went wrong, when it is nothing Kintsugi expected; the error alone when even the words
    cannot be read (content/ itself is what went wrong)."""
    what = f"{type(error).__name__}: {error}"
    try:
        return said("cli.unexpected", error=what, variable=DEBUG_ENV)
    except Exception:
        return what
