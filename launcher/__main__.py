"""Entry point for ``call-launcher`` and ``python -m launcher``.

    call-launcher                      open the window
    call-launcher tel:+15555551313     open the window with To filled (or hand it to the open window)
    call-launcher --self-test          check this installation and exit
    call-launcher COMMAND ...          the command line (see --help)

``--log-level LEVEL`` (debug, info, warning, error) may come first in any of these.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    level = "info"
    asked_for_logs = bool(args) and args[0].startswith("--log-level")
    if args and args[0].startswith("--log-level"):
        option = args.pop(0)
        if "=" in option:
            level = option.split("=", 1)[1]
        elif args:
            level = args.pop(0)
        else:
            print("call-launcher: --log-level needs a level: debug, info, warning or error", file=sys.stderr)
            return 2
    from launcher.core.logs import LEVELS, setup_logging

    if level.lower() not in LEVELS:
        print(f"call-launcher: unknown log level '{level}'; use one of: {', '.join(LEVELS)}", file=sys.stderr)
        return 2
    if args == ["--self-test"]:
        from launcher.selftest import run_self_test

        return run_self_test()
    try:
        setup_logging(level)
    except OSError as exc:  # the app works without its log; said only to whoever asked for one
        if asked_for_logs and sys.stderr is not None:  # None in the windowed Windows build
            from launcher.core.paths import log_dir
            from launcher.core.storage import storage_problem

            problem = storage_problem("The log", log_dir() / "call-launcher.log", exc)
            print(f"call-launcher: warning: {problem}", file=sys.stderr)
    from launcher.core.links import looks_like_link

    if not args or (len(args) == 1 and looks_like_link(args[0])):
        from launcher.ui.app import run

        return run(args[0] if args else None)
    from launcher.cli import main as cli_main

    try:
        return cli_main(args)
    except BrokenPipeError:  # the reader went away (`call-launcher providers | head`): stop quietly, as Unix tools do
        _silence_stdout()
        return EXIT_BROKEN_PIPE


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe


def _silence_stdout() -> None:
    """Point stdout at the null device, so flushing it at exit raises nothing more."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
