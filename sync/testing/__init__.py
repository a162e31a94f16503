"""Helpers for tests and benchmarks: a real server process and a bad-link proxy."""
