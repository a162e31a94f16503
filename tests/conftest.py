"""Suite-wide settings: no test may reach the user's real data folder or a network."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# One office in a temporary folder (home, office) for the folders that need one.
pytest_plugins = ["tests.support.office"]
os.environ["DESK_LANG"] = "vi"
# The suite's keyrings are temporary plaintext files it chose on purpose (issue 11: Desk
# refuses a plaintext keyring it was not told to use).
os.environ.setdefault("DESK_ALLOW_PLAINTEXT_KEYRING", "1")


# --- one PKI and one set of SoftHSM2 tokens for the whole run ------------------------------
# SoftHSM reads SOFTHSM2_CONF once per process, so every test folder that signs must
# share these session fixtures instead of building its own world.

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def pki_world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.support import pki

    return pki.build_world(tmp_path_factory.mktemp("pki-world"))


@pytest.fixture(scope="session")
def pki_server(pki_world) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from tests.support import pki

    srv = pki.PkiServer(pki_world.pki).start()
    yield srv
    srv.stop()
