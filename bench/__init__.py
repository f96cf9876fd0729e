"""Benchmarks (`make bench`); never run as timed tests."""
