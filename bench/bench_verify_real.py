"""Verification of real multi-revision VGCA documents (issue 12: "under 2 s and 300 MB").

For every document of tests/data/real/signed (manifest.toml), measured in this run:

* Desk: ``signing.verify.verify_pdf`` (offline, no trust anchor), in a fresh process per
  document. Timed: the ``verify_pdf`` call only (reading the file, revision analysis,
  every signature's validation), wall and CPU seconds; memory: the process's peak RSS
  (``VmHWM``, interpreter and imports included; ``ru_maxrss`` would keep the parent's peak).
* Desk with the shipped store, as ``desk verify`` runs: ``office_trust(None)`` (Desk's
  Vietnamese store), ``trust.for_document(data)`` (the certificates the PDF carries) and
  ``verify_pdf``; timed from reading the store to the verdict, same memory rule.
* Baseline: the method Desk used before issue 12, in a fresh process per document:
  pyHanko's stock reader and ``validate_pdf_signature`` with its per-signature
  difference analysis (``signing.diffpolicy.DESK_DIFF_POLICY``), one call per signature.
  Same timing and memory rules; stopped after 300 s.
* pdfsig (poppler): the whole ``pdfsig FILE`` process, wall seconds (it checks digests
  and certificates only, no modification analysis).

The machine is shared (2 cores, other jobs): CPU seconds are the better guide to an
idle machine; the load average is printed. Run: ``python bench/bench_verify_real.py``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "data" / "real" / "signed"
LIMIT_S, LIMIT_MB = 2.0, 300.0

DESK = """
import json, logging, resource, sys, time
logging.disable(logging.CRITICAL)
from signing.trust import TrustSettings
from signing.verify import verify_pdf
t, c = time.perf_counter(), time.process_time()
report = verify_pdf(sys.argv[1], trust=TrustSettings())
wall, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": int([l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]) / 1024,
                  "verdict": report.verdict, "signatures": len(report.signatures)}))
"""

DESK_STORE = """
import json, logging, resource, sys, time
logging.disable(logging.CRITICAL)
from signing.trust import office_trust
from signing.verify import verify_pdf
t, c = time.perf_counter(), time.process_time()
data = open(sys.argv[1], "rb").read()
report = verify_pdf(data, trust=office_trust(None).for_document(data), name=sys.argv[1])
wall, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": int([l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]) / 1024,
                  "verdict": report.verdict, "signatures": len(report.signatures)}))
"""

BASELINE = """
import io, json, logging, resource, sys, time
logging.disable(logging.CRITICAL)
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from signing.diffpolicy import DESK_DIFF_POLICY
t, c = time.perf_counter(), time.process_time()
reader = PdfFileReader(io.BytesIO(open(sys.argv[1], "rb").read()), strict=False)
vc = ValidationContext(trust_roots=[], allow_fetching=False, revocation_mode="soft-fail")
unsafe = 0
for sig in reader.embedded_signatures:
    status = validate_pdf_signature(sig, vc, vc, diff_policy=DESK_DIFF_POLICY)
    unsafe += status.modification_level is None or status.modification_level.name == "OTHER"
wall, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": int([l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]) / 1024,
                  "unsafe": unsafe}))
"""


def _child(code: str, path: Path, timeout: float = 300.0) -> dict[str, float] | None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                             timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if out.returncode or not lines:
        raise RuntimeError(out.stderr[-2000:])
    result: dict[str, float] = json.loads(lines[-1])
    return result


def _pdfsig(path: Path) -> tuple[float, int]:
    t = time.perf_counter()
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    return time.perf_counter() - t, out.stdout.count("Signature is Valid.")


def main() -> int:
    docs = tomllib.loads((REAL / "manifest.toml").read_text(encoding="utf-8"))["document"]
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    print(f"{'document':34} {'pages':>5} {'sigs':>4} {'revs':>4} | {'Desk wall':>9} {'cpu':>6} {'peak MB':>7} "
          f"| {'+store wall':>11} {'cpu':>6} {'peak MB':>7} "
          f"| {'before: wall':>12} {'cpu':>6} {'peak MB':>7} {'unsafe':>6} | {'pdfsig':>7}")
    worst_wall = worst_cpu = worst_mb = 0.0
    for doc in docs:
        path = REAL / doc["file"]
        desk = _child(DESK, path)
        store = _child(DESK_STORE, path)
        assert desk is not None and store is not None
        base = _child(BASELINE, path)
        sig_wall, sig_valid = _pdfsig(path)
        worst_wall = max(worst_wall, desk["wall"], store["wall"])
        worst_cpu = max(worst_cpu, desk["cpu"], store["cpu"])
        worst_mb = max(worst_mb, desk["rss_mb"], store["rss_mb"])
        before = (f"{base['wall']:11.2f}s {base['cpu']:5.2f}s {base['rss_mb']:7.0f} {int(base['unsafe']):>6}"
                  if base else f"{'> 300 s':>12} {'':>6} {'':>7} {'':>6}")
        print(f"{doc['file'][:34]:34} {doc['pages']:>5} {doc['signatures']:>4} {doc['revisions']:>4} | "
              f"{desk['wall']:8.2f}s {desk['cpu']:5.2f}s {desk['rss_mb']:7.0f} | "
              f"{store['wall']:10.2f}s {store['cpu']:5.2f}s {store['rss_mb']:7.0f} | {before} | {sig_wall:6.3f}s"
              f"  ({desk['verdict']}, with the store {store['verdict']}; pdfsig: {sig_valid}/{doc['signatures']} valid)")
    print(f"worst Desk document: {worst_wall:.2f} s wall, {worst_cpu:.2f} s CPU, {worst_mb:.0f} MB peak "
          f"(target < {LIMIT_S:.0f} s and < {LIMIT_MB:.0f} MB)")
    print("'unsafe' = signatures the old method called changed after signing (all of them are intact).")
    ok = worst_mb < LIMIT_MB and worst_cpu < LIMIT_S
    print("CPU and memory within target" if ok else "OVER TARGET")
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
