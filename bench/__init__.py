"""Benchmarks: every figure is printed as a ratio against a bare baseline measured in the same run."""
