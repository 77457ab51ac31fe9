"""The benchmark suite: ``python -m bench [--quick] [--only NAME ...] [--runs N]`` (issue 9)."""
