"""The one entry point: ``companion`` and ``python -m companion`` call ``main``.

Each command lives in a module of its own (``note``, ``export``, ``scores``,
``privacy``, ``backup``, ``playlist``, ``doctor``) that adds its parser and
names the function that runs it with ``set_defaults(run=...)``; without a
command, ``app.run`` opens the app. Errors are one clear line on stderr
(``errors``): exit status 2 for bad usage, 1 for a failure. Never a traceback
for something the user did. No module imports this package back.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from companion import __version__
from companion.cli.errors import Failure, UsageError
from companion.paths import Paths, resolve

if TYPE_CHECKING:
    import argparse

__all__ = ["Failure", "UsageError", "build_parser", "main"]


def _parser_class() -> "type[argparse.ArgumentParser]":
    """argparse's parser, with bad usage raised as UsageError. argparse is
    imported here: ``companion`` alone, as a patient starts the app, parses
    nothing (about 1.5 ms less before Home's first frame, issue 18)."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            raise UsageError(f"{self.prog}: {message}")

    return _Parser


def _top_parser(**kwargs: object) -> "argparse.ArgumentParser":
    """The options before any command: ``--version`` and ``--home``."""
    parser = _parser_class()(
        prog="companion",
        description="A calm terminal companion for infusion days.",
        **kwargs,  # type: ignore[arg-type]
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--home", metavar="DIR",
        help="keep the database, settings and caches in DIR (also COMPANION_HOME)",
    )
    return parser


def _without_command(args_list: list[str]) -> "argparse.Namespace | SimpleNamespace | None":
    """The arguments when they name no command (the app itself, or
    ``--version``), read without building the commands' parsers: those import
    every command's module, which the app's start does not need. No
    arguments at all need no parser."""
    if not args_list:
        return SimpleNamespace(command=None, home=None)
    try:
        args, rest = _top_parser(add_help=False).parse_known_args(args_list)
    except UsageError:
        return None
    if rest:
        return None
    args.command = None
    return args


def build_parser() -> "argparse.ArgumentParser":
    from companion.cli import backup, doctor, export, note, playlist, privacy, scores

    parser = _top_parser()
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))
    for module in (doctor, note, playlist, export, scores, privacy, backup):
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _without_command(args_list) or build_parser().parse_args(args_list)
        paths = resolve(args.home)
        problem = home_problem(paths, args.home)
        if problem:
            raise Failure(problem)
        if getattr(args, "unlock", True):
            from companion.cli import privacy

            # An encrypted journal: keyring or passphrase first (the command opens it next).
            privacy.unlock(paths, opening=args.command is None)
        if args.command is None:
            from companion.cli import app

            return app.run(paths)
        return int(args.run(args, paths))
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except Failure as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("companion: interrupted", file=sys.stderr)
        return 1


def home_problem(paths: Paths, given: str | None) -> str | None:
    """Why the home cannot hold the journal: it (or a folder above it) is a file."""
    from companion.core import text
    from companion.paths import ENV_HOME

    for folder in (paths.home, *paths.home.parents):
        if folder.exists():
            if folder.is_dir():
                return None
            source = "--home" if given is not None else ENV_HOME
            return text.HOME_IS_A_FILE.format(path=folder, home=paths.home, source=source)
    return None
