"""The print/import cases for benchmarks/run.py (they live in print_check.py)."""

from print_check import cases

__all__ = ["cases"]
