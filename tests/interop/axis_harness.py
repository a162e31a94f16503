"""Drive the axis client SDK and the reference edXML library (Java) from the tests.

``java/AxisHarness.java`` is compiled with javac at test time against the jars in
``../shared/interop/axis-sdk/lib`` (cached under ``.cache/interop/``, keyed by the
source and the jars' checksums) and runs as one long-lived JVM that answers one JSON
line per command. Every SDK call and library call is logged, so the run can say which
ones were exercised and what they answered.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(__file__).with_name("java") / "AxisHarness.java"
# The jars live outside the repository (third-party, not shipped): ../shared from the root.
DEFAULT_SDK = ROOT.parent / "shared" / "interop" / "axis-sdk"


def sdk_dir() -> Path:
    return Path(os.environ.get("DESK_AXIS_SDK", str(DEFAULT_SDK)))


def why_not_runnable() -> str | None:
    """None when the SDK and a JDK are here; else the reason the suite is skipped."""
    sdk = sdk_dir()
    if not (sdk / "lib" / "SDKVXP-2.0.1.jar").is_file():
        return (f"the axis SDK is not at {sdk} (expected ../shared/interop/axis-sdk from the "
                "project root, or DESK_AXIS_SDK): third-party jars, not part of Desk")
    if shutil.which("javac") is None or shutil.which("java") is None:
        return "no Java compiler: `make test` installs default-jdk-headless (Java 17)"
    return None


def compile_harness() -> Path:
    """Compile the harness once per source/jar version; returns the classes folder."""
    sdk = sdk_dir()
    key = hashlib.sha256(SOURCE.read_bytes())
    sums = sdk / "SHA256SUMS"
    key.update(sums.read_bytes() if sums.exists() else b"")
    out = ROOT / ".cache" / "interop" / key.hexdigest()[:16]
    if (out / "AxisHarness.class").is_file():
        return out
    tmp = out.with_name(out.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    subprocess.run(["javac", "-encoding", "UTF-8", "-nowarn", "-cp", str(sdk / "lib" / "*"),
                    "-d", str(tmp), str(SOURCE)], check=True, capture_output=True, timeout=300)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


class Harness:
    """One JVM running AxisHarness; ``call`` sends a command and returns its answer."""

    def __init__(self, classes: Path, log_file: Path) -> None:
        cp = f"{sdk_dir() / 'lib' / '*'}{os.pathsep}{classes}"
        self._stderr = log_file.open("ab")
        self.proc = subprocess.Popen(["java", "-Xshare:auto", "-cp", cp, "AxisHarness"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr)
        self.calls: list[tuple[str, str]] = []  # (operation, result) of every call, in order

    def call(self, op: str, **kw: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write((json.dumps({"op": op, **kw}, ensure_ascii=False) + "\n").encode())
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the Java harness died during {op}")
        reply: dict[str, Any] = json.loads(line)
        if not reply.get("ok"):
            raise RuntimeError(f"{op}: {reply.get('error')}")
        self.calls.append((op, _summary(reply)))
        return reply

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()


def _summary(reply: dict[str, Any]) -> str:
    if "status" in reply:
        extra = ""
        for k in ("docId", "count"):
            if k in reply:
                extra += f" {k}={reply[k]}"
        if "items" in reply:
            extra += f" items={len(reply['items'])}"
        if "rows" in reply:
            extra += f" rows={len(reply['rows'])}"
        return f"{reply['status']} ErrorCode={reply['errorCode']}{extra}"
    if "statusCode" in reply:
        return f"parsed status {reply['statusCode']}"
    if "documentId" in reply:
        return f"parsed edoc {reply['documentId']}"
    if "file" in reply:
        return "built " + Path(reply["file"]).name
    return "ok"
