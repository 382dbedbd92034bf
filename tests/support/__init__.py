"""Helpers the tests (and the benchmarks) import; fixtures stay in the conftest files."""
