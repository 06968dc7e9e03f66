"""Command line: ``python -m pipeline extract INPUT OUTPUT``."""

from __future__ import annotations

import argparse
import sys

EXIT_OK = 0  # every file processed
EXIT_FAILED = 1  # some files failed (listed in OUTPUT/errors.csv); the others' outputs are written
EXIT_USAGE = 2  # unusable arguments (argparse's own code)
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGTERM: what finished is kept, the next run resumes

EXIT_CODES = f"""\
exit codes:
  {EXIT_OK}    every file was processed
  {EXIT_FAILED}    some files failed (OUTPUT/errors.csv lists them, failures kept by the
       cache included); the other files' outputs are written
  {EXIT_USAGE}    unusable arguments: a missing input directory, an output directory
       inside the input directory, --workers below 1, a negative --timeout
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C or SIGTERM): finished documents are kept and the
       previous corpus outputs are untouched; run the same command to resume
"""


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0:  # also NaN
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or more (got {text})")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__, epilog=EXIT_CODES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    extract = sub.add_parser("extract", help="extract every document under INPUT into OUTPUT",
                             description="Extract every document under INPUT into OUTPUT.",
                             epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    extract.add_argument("input", nargs="?", default="corpus")
    extract.add_argument("output", nargs="?", default="outputs")
    extract.add_argument("--workers", type=positive_int, default=None, metavar="N",
                         help="worker processes (default: all cores)")
    extract.add_argument("--engine", choices=["local", "dask"], default="local",
                         help="local process pool (default) or a Dask cluster")
    extract.add_argument("--scheduler", default=None, metavar="ADDRESS",
                         help="with --engine dask: join this scheduler instead of starting a LocalCluster")
    extract.add_argument("--timeout", type=seconds, default=None, metavar="SECONDS",
                         help="time limit per document (default 600; 0 = none)")
    extract.add_argument("--no-cache", action="store_true",
                         help="process every document again, even unchanged ones")
    extract.add_argument("--quiet", action="store_true", help="no progress bar, no summary line")

    p = sub.add_parser("eval", help="score OUTPUT/documents against gold files")
    p.add_argument("--outputs", default="outputs")
    p.add_argument("--gold", default="../shared/gold/dev")

    args = parser.parse_args(argv)
    if args.command == "eval":
        from .evaluate import main as evaluate_main

        evaluate_main(args.outputs, args.gold)
        return EXIT_OK
    from .runner import DEFAULT_TIMEOUT, UsageError, run

    timeout = DEFAULT_TIMEOUT if args.timeout is None else (args.timeout or None)
    try:
        summary = run(args.input, args.output, workers=args.workers, engine=args.engine,
                      scheduler=args.scheduler, timeout=timeout, use_cache=not args.no_cache,
                      quiet=args.quiet)
    except UsageError as exc:
        extract.error(str(exc))  # exits 2
    except KeyboardInterrupt:
        print("interrupted: finished documents are saved, the previous corpus outputs are unchanged; "
              "run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_FAILED if summary["errors"] else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
