"""``python -m nq05_metrics.geo build-default|import …`` (same as ``python -m nq05_metrics geo``)."""

import sys

from .cli import main

sys.exit(main())
