"""``python -m training``: retrain the check-worthiness model (see ``training.cli``)."""

import sys

from training.cli import main

sys.exit(main())
