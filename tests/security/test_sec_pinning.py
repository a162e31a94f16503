"""Issue 11, item 4: TLS certificate pinning for the province's server."""

from __future__ import annotations

import hashlib
import ssl
from pathlib import Path

import pytest

from sync.client import ExchangeClient
from sync.errors import SyncError
from sync.testing.server_proc import ServerProcess

A = "000.00.61.H49"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sync"))
    from test_transfer import _self_signed as make  # the exchange tests' certificate maker

    return make(folder)  # type: ignore[no-any-return]


def test_the_pinned_certificate_is_required(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    good_pin = hashlib.sha256(der).hexdigest()
    with ServerProcess(tmp_path / "srv", tls=(cert, key)) as server:
        secret = server.add_agency(A, "A")
        with ExchangeClient(server.url, A, secret, verify=str(cert), pin_sha256=good_pin) as c:
            assert A in {x.code for x in c.agencies()}
        with ExchangeClient(server.url, A, secret, verify=str(cert), pin_sha256="00" * 32) as c:
            with pytest.raises(SyncError) as ei:
                c.agencies()
            assert ei.value.code == "tls_pin_mismatch"
