"""Run every benchmark in this folder, one process each, and print what each prints.

    python bench/run_all.py [NAME ...]     # e.g. bench_desk bench_signing
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem in argv or s.name in argv]
    failed = []
    for script in scripts:
        print(f"=== {script.stem}", flush=True)
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        print(f"=== {script.stem}: {'ok' if r.returncode == 0 else 'FAILED'} "
              f"in {time.perf_counter() - t0:.0f} s\n", flush=True)
        if r.returncode:
            failed.append(script.stem)
    if failed:
        print("failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
