"""Session fixtures for the signing tests: one PKI, one set of SoftHSM2 tokens,
one loopback server, opened key sessions reused by every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from signing.appearance import ImageAsset
from signing.keys import KeySession, Pkcs11KeySource
from signing.trust import TrustSettings
from tests.support import pki


@pytest.fixture(scope="session")
def world(pki_world: pki.TestWorld) -> pki.TestWorld:
    # The one world of the run (tests/conftest.py): SoftHSM reads its configuration
    # once per process, so every folder that signs shares the same tokens.
    return pki_world


@pytest.fixture(scope="session")
def server(pki_server: pki.PkiServer) -> pki.PkiServer:
    return pki_server


@pytest.fixture(scope="session")
def trust(world: pki.TestWorld) -> TrustSettings:
    return TrustSettings((world.pki.cert("root"),), (world.pki.cert("interm"),))


def _pin(_req: object) -> str:
    return pki.USER_PIN


@pytest.fixture(scope="session")
def leader_key(world: pki.TestWorld) -> Iterator[KeySession]:
    serial = format(world.pki.cert("leader").serial_number, "x")
    with Pkcs11KeySource(world.module, pki.LEADER_TOKEN, serial).open(_pin) as key:
        yield key


@pytest.fixture(scope="session")
def org_key(world: pki.TestWorld) -> Iterator[KeySession]:
    with Pkcs11KeySource(world.module, pki.ORG_TOKEN).open(_pin) as key:
        yield key


@pytest.fixture(scope="session")
def signature_image(world: pki.TestWorld) -> ImageAsset:
    return ImageAsset.from_file(world.images["signature"])


@pytest.fixture(scope="session")
def seal_image(world: pki.TestWorld) -> ImageAsset:
    return ImageAsset.from_file(world.images["seal"])


@pytest.fixture(scope="session")
def draft(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return pki.make_decree_pdf(tmp_path_factory.mktemp("docs") / "draft.pdf").read_bytes()


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """Rendered pages kept for a human look (not part of any assertion by themselves)."""
    out = Path(__file__).resolve().parents[2] / "build" / "test-artefacts" / "signing"
    out.mkdir(parents=True, exist_ok=True)
    return out
