"""Entry point for ``call-launcher`` and ``python -m launcher``: the window, or a CLI command."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        from launcher.ui.app import run

        return run()
    from launcher.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
