"""``python -m clawvm``: the command line."""

import sys

from clawvm.cli import main

sys.exit(main())
