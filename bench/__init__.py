"""Benchmark of site-gen at scale: ``python -m bench`` (see bench/RESULTS.md)."""
