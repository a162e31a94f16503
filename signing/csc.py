# mypy: disable-error-code="no-untyped-call"
# (pyHanko and pyhanko-certvalidator leave many functions unannotated.)
"""Remote signing through the Cloud Signature Consortium API (CSC v1).

Vietnamese remote-signing services (and the test service certomancer-csc-dummy)
speak CSC: ``credentials/info`` gives the certificate chain, ``credentials/
authorize`` turns the user's PIN/OTP into signature activation data (SAD), bound
to the hashes when the service requires it (SCAL2), and ``signatures/signHash``
signs. pyHanko's CSCSigner does the protocol; this module gives it Desk's key
source surface: the PIN is asked once through the same callback as a token PIN
and kept in memory for the batch only.

pyHanko's synchronous API runs each signature in a fresh event loop, while an
aiohttp session belongs to one loop; the CSC session therefore lives in its own
loop thread, and a thin Signer forwards each raw signature there.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlparse

import aiohttp
from pyhanko.sign.signers.csc_signer import (
    CSCAuthorizationInfo,
    CSCAuthorizationManager,
    CSCCredentialInfo,
    CSCServiceSessionInfo,
    CSCSigner,
    fetch_certs_in_csc_credential,
)
from pyhanko.sign.signers.pdf_cms import Signer

from .certinfo import describe_certificate
from .errors import PinCancelled, RemoteSigningError, WrongPin
from .keys import KeySession, KeySource
from .tokens import PinCallback, PinRequest, PinStatus

T = TypeVar("T")


class _LoopThread:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="csc-loop", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


class _PinAuthorization(CSCAuthorizationManager):
    """Authorises each signing batch with the PIN given once by the user."""

    def __init__(self, info: CSCServiceSessionInfo, cred: CSCCredentialInfo, session: aiohttp.ClientSession,
                 pin: str | None, timeout: int) -> None:
        super().__init__(info, cred)
        self._session = session
        self._pin = pin
        self._timeout = timeout

    async def authorize_signature(self, hash_b64s: list[str]) -> CSCAuthorizationInfo:
        body = self.format_csc_auth_request(
            num_signatures=len(hash_b64s), pin=self._pin,
            hash_b64s=hash_b64s if self.credential_info.hash_pinning_required else None,
        )
        url = self.csc_session_info.endpoint_url("credentials/authorize")
        async with self._session.post(url, json=body, headers=self.auth_headers,
                                      timeout=aiohttp.ClientTimeout(total=self._timeout)) as resp:
            if resp.status in (400, 401, 403):
                raise WrongPin("Dịch vụ ký từ xa từ chối xác thực (sai PIN/OTP?).",
                               "The remote signing service refused the authorisation (wrong PIN/OTP?).")
            resp.raise_for_status()
            data = await resp.json()
        expires = data.get("expiresIn")
        until = datetime.now(UTC) + timedelta(seconds=int(expires)) if expires else None
        return CSCAuthorizationInfo(sad=data["SAD"], expires_at=until)


class _BridgeSigner(Signer):
    """Forwards raw signatures to the CSC signer living in the loop thread."""

    def __init__(self, inner: CSCSigner, loop: _LoopThread) -> None:
        super().__init__(signing_cert=inner.signing_cert, cert_registry=inner.cert_registry,
                         signature_mechanism=inner.signature_mechanism, embed_roots=True)
        self._inner = inner
        self._loop = loop

    def get_signature_mechanism_for_digest(self, digest_algorithm: str | None) -> Any:
        return self._inner.get_signature_mechanism_for_digest(digest_algorithm)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(self._inner.est_raw_signature_size)
        future = asyncio.run_coroutine_threadsafe(
            self._inner.async_sign_raw(data, digest_algorithm), self._loop.loop)
        return await asyncio.wrap_future(future)


@dataclass(frozen=True)
class CscKeySource(KeySource):
    """A credential on a CSC remote-signing service."""

    service_url: str
    credential_id: str
    oauth_token: str | None = None
    timeout: int = 30
    ask_pin: bool = True

    def describe(self) -> str:
        return f"CSC {self.credential_id} @ {self.service_url}"

    def open(self, pin_callback: PinCallback) -> KeySession:
        loop = _LoopThread()
        session: aiohttp.ClientSession | None = None
        try:
            async def _session() -> aiohttp.ClientSession:
                return aiohttp.ClientSession()

            session = loop.run(_session())
            info = CSCServiceSessionInfo(self.service_url, self.credential_id, oauth_token=self.oauth_token)
            try:
                cred = loop.run(fetch_certs_in_csc_credential(session, info, timeout=self.timeout))
            except Exception as exc:
                raise RemoteSigningError(
                    f"Không lấy được chứng thư từ dịch vụ ký từ xa {urlparse(self.service_url).netloc}: {exc}",
                    f"Cannot get the certificate from the remote signing service: {exc}",
                ) from exc
            cert_info = describe_certificate(cred.signing_cert)
            pin = None
            if self.ask_pin:
                pin = pin_callback(PinRequest(urlparse(self.service_url).netloc, cert_info.subject_cn, PinStatus()))
                if pin is None:
                    raise PinCancelled("Đã hủy nhập mã PIN.", "PIN entry cancelled.")
            auth = _PinAuthorization(info, cred, session, pin, self.timeout)
            signer = _BridgeSigner(CSCSigner(session, auth, sign_timeout=self.timeout), loop)
        except BaseException:
            if session is not None:
                loop.run(session.close())
            loop.stop()
            raise
        live_session = session

        def close() -> None:
            loop.run(live_session.close())
            loop.stop()

        return KeySession(signer, cred.signing_cert, tuple(cred.chain), cert_info, close)
