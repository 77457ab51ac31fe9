"""Settings for benchmark runs: the app's own, plus the bare comparison view's urlconf.

Throttling is lifted (the load generator sends far more than a service token's 1,200/min, and
the limit, not the server, would be measured); everything else is the production settings.
"""

from factcheck.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
API_THROTTLE_RATES = {scope: None for scope in API_THROTTLE_RATES}  # noqa: F405
