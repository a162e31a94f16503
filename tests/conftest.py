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


# --- Windows: parts that cannot be had for Windows from Debian or PyPI -------------------------
# Under Windows (the Wine lane, `make test-windows`, or an office PC) a test that needs one
# of these is marked skipped with the reason, and the closing summary counts them by part.
# Nothing else is skipped there: every other test must pass on Windows too.

WINDOWS_MISSING = {
    "softhsm2": "needs SoftHSM2 for Windows (the session's PKCS#11 tokens); none from Debian or PyPI",
    "poppler": "needs poppler for Windows (pdftoppm/pdfsig); none from Debian or PyPI",
    "qpdf": "needs qpdf for Windows; none from Debian or PyPI",
    "libreoffice": "needs LibreOffice for Windows; none from Debian or PyPI",
    "postgresql": "needs a PostgreSQL server for Windows; none from Debian or PyPI",
    "java": "needs a Java runtime for Windows (the axis SDK); none from Debian or PyPI",
    "tesseract": "needs Tesseract OCR for Windows and poppler's pdftoppm; none from Debian or PyPI",
}
# Tests (node id prefixes) that call one of those programs themselves.
WINDOWS_NEEDS_BY_TEST: dict[str, str] = {
    "tests/sync/test_postgres.py": "postgresql",
    "tests/sync/test_axis_sdk.py": "java",
    "tests/desk/test_documents.py::test_a_scanned_pdf_is_read_by_ocr": "tesseract",
}
# Fixtures that stand for a part: a test using them (directly or not) needs it.
WINDOWS_NEEDS_BY_FIXTURE = {"pki_world": "softhsm2", "lo_profile": "libreoffice",
                            "converted": "libreoffice"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    import sys

    if sys.platform != "win32":
        return
    for item in items:
        node = item.nodeid.replace("\\", "/")
        need = next((part for prefix, part in WINDOWS_NEEDS_BY_TEST.items() if node.startswith(prefix)),
                    None)
        if need is None:
            names = set(getattr(item, "fixturenames", ()))
            need = next((part for fx, part in WINDOWS_NEEDS_BY_FIXTURE.items() if fx in names), None)
        if need is not None:
            item.add_marker(pytest.mark.skip(reason=f"Windows: {WINDOWS_MISSING[need]}"))
            item.user_properties.append(("windows_missing", need))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    import sys
    from collections import Counter

    if sys.platform != "win32":
        return
    counts: Counter[str] = Counter()
    for rep in terminalreporter.stats.get("skipped", []):
        for key, value in getattr(rep, "user_properties", []):
            if key == "windows_missing":
                counts[value] += 1
    total = sum(counts.values())
    other_skips = len(terminalreporter.stats.get("skipped", [])) - total
    terminalreporter.write_line(
        f"Windows: {total} tests marked as needing a part this machine cannot have for Windows ("
        + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) + f"); other skips: {other_skips}")
