"""Printing and import/export alone: the print cases of benchmarks/run.py (bench_print.py).

python benchmarks/print_check.py           # 7 runs per case
python benchmarks/print_check.py --quick   # 3 runs, generous budgets
"""

from __future__ import annotations

import sys

from run import main

if __name__ == "__main__":
    sys.argv[1:1] = ["--only", "print"]
    raise SystemExit(main())
