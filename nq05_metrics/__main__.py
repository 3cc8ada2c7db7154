"""``python -m nq05_metrics``."""

import sys

from nq05_metrics.cli import main

sys.exit(main())
