"""The frozen program's entry script: exactly what ``call-launcher`` / ``python -m launcher`` run."""

import sys

from launcher.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
