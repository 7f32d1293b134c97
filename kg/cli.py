"""The `kg` command. It only parses arguments: each subcommand lives in its own module, which
declares its options (`add_arguments`) and does the work (`run`, returning the exit code)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from kg import BrokenInstall, __version__

# name -> (module, one-line help). Command modules import their heavy dependencies inside
# `run`, so building the parser (and `kg --help`) stays fast.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("kg.commands.build", "convert documents into the knowledge graph (graph.ttl + store)"),
    "validate": (
        "kg.commands.validate",
        "check a graph against kg's SHACL shapes and the EP's parliamentary-questions shapes",
    ),
    "synth": ("kg.commands.synth", "generate realistic written-question documents"),
    "fetch": ("kg.commands.fetch", "gather written questions from the Senate's site, politely and resumably"),
    "serve": ("kg.commands.serve", "serve the graph: SPARQL endpoint, linked-data pages, dumps"),
}

EXIT_OK = 0
EXIT_FAILURE = 1  # the command ran and something failed (a document, a violation)
EXIT_USAGE = 2  # bad arguments


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="kg: publish Belgian Senate written questions as a linked-data knowledge graph.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        module = importlib.import_module(module_name)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = make_parser()
        args = parser.parse_args(argv)
        args._argv = list(argv if argv is not None else sys.argv[1:])  # for a command that starts copies of itself
        return int(args._run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (`kg build ... | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except ModuleNotFoundError as error:  # a part of kg, or a dependency, is not installed
        print(f"kg: broken install: the module {error.name} is missing; reinstall kg", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenInstall as error:
        print(f"kg: broken install: {error}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
