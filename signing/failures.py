"""Telling a revocation verdict from an unreachable TSA/OCSP/CRL service."""

from __future__ import annotations

import aiohttp
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator.errors import InsufficientRevinfoError, RevokedError


def chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(out) < 20:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


def revoked_in(exc: BaseException) -> bool:
    """True if the failure is a revocation verdict (never to be mistaken for "offline")."""
    return any(isinstance(e, RevokedError) for e in chain(exc))


def is_network_error(exc: BaseException) -> bool:
    """True only for failures to reach a TSA/OCSP/CRL service.

    Connection errors are recognised by type; pyHanko reports unobtainable
    revocation data as InsufficientRevinfoError without a cause. A revoked
    certificate is never a network error: signing must then be refused, not
    quietly downgraded to B-B.
    """
    causes = chain(exc)
    if revoked_in(exc):
        return False
    network_types: tuple[type[BaseException], ...] = (OSError, TimeoutError, aiohttp.ClientError,
                                                      TimestampRequestError, InsufficientRevinfoError)
    return any(isinstance(e, network_types) for e in causes)
