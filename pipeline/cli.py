"""Command line: ``python -m pipeline extract INPUT OUTPUT``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract every document under INPUT into OUTPUT")
    p.add_argument("input", nargs="?", default="corpus")
    p.add_argument("output", nargs="?", default="outputs")
    p.add_argument("--quiet", action="store_true")

    p = sub.add_parser("eval", help="score OUTPUT/documents against gold files")
    p.add_argument("--outputs", default="outputs")
    p.add_argument("--gold", default="../shared/gold/dev")

    args = parser.parse_args(argv)
    if args.command == "eval":
        from .evaluate import main as evaluate_main

        evaluate_main(args.outputs, args.gold)
        return 0
    if args.command == "extract":
        from .runner import run

        summary = run(args.input, args.output, quiet=args.quiet)
        return 0 if summary["done"] or not summary["failed"] else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
