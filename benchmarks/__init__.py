"""Benchmarks and evaluation scripts (run from the repository root; not part of the package)."""
