"""Signing many documents with one login.

One PIN prompt for the batch; a progress callback after each document; cancel
checked between documents; one result per document, so a bad file does not stop
the rest. Each output is written atomically (temporary file in the target folder,
fsync, rename) and the source PDF is never modified in place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .certcheck import check_signing_certificate
from .errors import SigningError, TokenRemoved
from .keys import KeySession, KeySource
from .pades import DocumentSigner, SignOptions, SignResult
from .tokens import PinCallback


@dataclass(frozen=True)
class SignJob:
    source: Path
    output: Path
    options: SignOptions | None = None  # per-document override (e.g. another appearance)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    current: Path
    ok: bool


@dataclass(frozen=True)
class JobResult:
    job: SignJob
    result: SignResult | None = None
    error_code: str | None = None
    error_vi: str | None = None
    error_en: str | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None


@dataclass
class BatchResult:
    results: list[JobResult] = field(default_factory=list)
    cancelled: bool = False
    #: Set when the batch stopped early because the key went away (token removed);
    #: the jobs after the last result were not attempted.
    stopped: JobResult | None = None

    @property
    def succeeded(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.ok)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the permissions a normal
        # new file would get, so a shared folder stays readable.
        if hasattr(os, "fchmod"):  # POSIX only; Windows has no such mode bits
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def sign_one(signer: DocumentSigner, job: SignJob) -> JobResult:
    """Sign one job with an open signer; every expected failure becomes a result."""
    if _same_file(job.source, job.output):
        return JobResult(job, None, "signing.in_place",
                         "Tệp đích trùng tệp nguồn: Desk không ghi đè văn bản gốc.",
                         "The output is the source file: Desk never overwrites the original.")
    try:
        data = job.source.read_bytes()
    except OSError as exc:
        return JobResult(job, None, "signing.read", f"Không đọc được tệp {job.source.name}: {exc.strerror}.",
                         f"Cannot read {job.source.name}: {exc.strerror}.")
    previous = signer.options
    try:
        if job.options is not None:
            signer.options = job.options
        signed, result = signer.sign_bytes(data)
        atomic_write(job.output, signed)
    except SigningError as exc:
        return JobResult(job, None, exc.code, exc.vi, exc.en)
    except OSError as exc:
        return JobResult(job, None, "signing.write", f"Không ghi được tệp {job.output}: {exc.strerror}.",
                         f"Cannot write {job.output}: {exc.strerror}.")
    finally:
        signer.options = previous
    from dataclasses import replace

    return JobResult(job, replace(result, output=job.output))


def sign_batch(jobs: Sequence[SignJob], key_source: KeySource, pin_callback: PinCallback,
               options: SignOptions, *, progress: Callable[[Progress], None] | None = None,
               cancelled: Callable[[], bool] | None = None, online_check: bool = True) -> BatchResult:
    """Log in once, check the certificate once, sign every job.

    Login, PIN and certificate errors concern the whole batch and are raised
    (nothing has been signed yet); per-document problems are returned as results.
    """
    key: KeySession = key_source.open(pin_callback)
    with key:
        check_signing_certificate(key.certificate, key.chain, trust=options.trust.with_chain(key.chain),
                                  online=online_check and options.level.needs_network)
        return run_jobs(DocumentSigner(key, options), jobs, progress=progress, cancelled=cancelled)


def run_jobs(signer: DocumentSigner, jobs: Sequence[SignJob], *,
             progress: Callable[[Progress], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> BatchResult:
    batch = BatchResult()
    for i, job in enumerate(jobs):
        if cancelled is not None and cancelled():
            batch.cancelled = True
            break
        result = sign_one(signer, job)
        batch.results.append(result)
        if progress is not None:
            progress(Progress(i + 1, len(jobs), job.source, result.ok))
        if result.error_code == TokenRemoved.code:
            batch.stopped = result  # every further document would fail the same way
            break
    return batch
