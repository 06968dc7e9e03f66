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
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores)")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local process pool (default) or a Dask cluster")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="with --engine dask: join this scheduler instead of starting a LocalCluster")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="time limit per document (default 600; 0 = none)")
    p.add_argument("--no-cache", action="store_true",
                   help="process every document again, even unchanged ones")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no summary line")

    p = sub.add_parser("eval", help="score OUTPUT/documents against gold files")
    p.add_argument("--outputs", default="outputs")
    p.add_argument("--gold", default="../shared/gold/dev")

    args = parser.parse_args(argv)
    if args.command == "eval":
        from .evaluate import main as evaluate_main

        evaluate_main(args.outputs, args.gold)
        return 0
    if args.command == "extract":
        from .runner import DEFAULT_TIMEOUT, run

        timeout = DEFAULT_TIMEOUT if args.timeout is None else (args.timeout or None)
        summary = run(args.input, args.output, workers=args.workers, engine=args.engine,
                      scheduler=args.scheduler, timeout=timeout, use_cache=not args.no_cache,
                      quiet=args.quiet)
        # Non-zero only when documents were processed and every one of them failed.
        return 1 if summary["failed"] and not summary["done"] else 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
