"""``python -m filterbank`` runs the command line."""

import sys

from filterbank.cli import main

sys.exit(main())
