"""`python -m ivbcompose`: the same command line as the `ivbcompose` script."""

import sys

from .entry import main

sys.exit(main())
