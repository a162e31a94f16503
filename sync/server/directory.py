"""The agency directory: who may use the exchange, and the axis directory calls."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from sync.axis import new_secret
from sync.edxml.rules import ORGAN_ID_MAX, ORGAN_ID_RE
from sync.server.auth import Caller
from sync.server.db import agencies
from sync.server.errors import ApiError, bad_request, forbidden, not_found


def check_code(code: str) -> str:
    code = code.strip()
    if not code or len(code) > ORGAN_ID_MAX or not ORGAN_ID_RE.match(code):
        raise bad_request(
            "bad_agency_code",
            f"Mã định danh đơn vị không hợp lệ: {code!r}.",
            f"Invalid agency code: {code!r}.",
        )
    return code


def add_agency(
    engine: Engine,
    code: str,
    name: str,
    *,
    system_id: str | None = None,
    secret: str | None = None,
    pcode: str = "",
    mail: str = "",
    mobile: str = "",
    fax: str = "",
    send_for: Iterable[str] = (),
    axis_compat: bool = False,
    is_admin: bool = False,
) -> str:
    """Register an agency (server operator's action); returns its secret, shown once."""
    code = check_code(code)
    secret = secret or new_secret()
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(agencies).values(
                    code=code,
                    system_id=system_id or code,
                    secret=secret,
                    name=name,
                    pcode=pcode,
                    mail=mail,
                    mobile=mobile,
                    fax=fax,
                    send_for=",".join(check_code(c) for c in send_for),
                    axis_compat=axis_compat,
                    is_admin=is_admin,
                    modified_at=time.time(),
                )
            )
    except IntegrityError:
        raise ApiError(
            "409",
            "agency_exists",
            f"Đơn vị {code} đã được đăng ký.",
            f"Agency {code} is already registered.",
        ) from None
    return secret


def _level(code: str) -> int:
    """QCVN 102 level of a code V.Z.Y.L: 1 for 000.00.00.H49, 4 when the V group is set."""
    groups = code.split(".")
    if len(groups) != 4:
        return 0
    v, z, y, _ = groups
    for level, group in ((4, v), (3, z), (2, y)):
        if group.strip("0"):
            return level
    return 1


def _rows(engine: Engine, *, deleted: bool = False) -> list[Any]:
    q = select(agencies).order_by(agencies.c.id)
    if not deleted:
        q = q.where(agencies.c.deleted.is_(False))
    with engine.connect() as conn:
        return list(conn.execute(q).all())


def agencies_list(engine: Engine) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "code": r.code,
            "pid": r.pcode,
            "name": r.name,
            "mail": r.mail,
            "oldCode": r.old_code,
        }
        for r in _rows(engine)
    ]


def agencies_qd20(engine: Engine, level: str) -> list[dict[str, Any]]:
    want = int(level) if level.strip().isdigit() else 0
    return [
        {"id": r.id, "code": r.code, "name": r.name, "mail": r.mail, "code102": r.code}
        for r in _rows(engine)
        if not want or _level(r.code) == want
    ]


def synchronize_units(engine: Engine) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "code": r.code,
            "pid": r.pcode,
            "name": r.name,
            "mail": r.mail,
            "version": r.version,
            "centerCode": "",
            "deleted": bool(r.deleted),
            "modifyDate": datetime.fromtimestamp(r.modified_at).strftime("%d/%m/%Y %H:%M:%S"),
            "isAgency": True,
        }
        for r in _rows(engine, deleted=True)
    ]


def register_agency(engine: Engine, caller: Caller, body: dict[str, Any]) -> str:
    """``registerAgency``: an admin, or a centre registering a unit under itself."""
    code = check_code(str(body.get("code", "")))
    pcode = str(body.get("pcode", "") or "")
    if not caller.is_admin and pcode not in caller.codes:
        raise forbidden(
            "register_forbidden",
            "Chỉ được đăng ký đơn vị trực thuộc chính mình.",
            "You may only register units under your own code.",
        )
    secret = add_agency(
        engine,
        code,
        str(body.get("name", "")),
        pcode=pcode,
        mail=str(body.get("mail", "") or ""),
        mobile=str(body.get("mobile", "") or ""),
        fax=str(body.get("fax", "") or ""),
    )
    if not caller.is_admin:
        # The centre that registered the unit sends and reads for it.
        with engine.begin() as conn:
            row = conn.execute(
                select(agencies.c.send_for).where(agencies.c.system_id == caller.system_id)
            ).scalar_one()
            codes = [c for c in row.split(",") if c] + [code]
            conn.execute(
                update(agencies)
                .where(agencies.c.system_id == caller.system_id)
                .values(send_for=",".join(codes))
            )
    return secret


def delete_agency(engine: Engine, caller: Caller, code: str) -> None:
    with engine.begin() as conn:
        row = conn.execute(
            select(agencies).where(agencies.c.code == code, agencies.c.deleted.is_(False))
        ).first()
        if row is None:
            raise not_found(f"Không có đơn vị {code}.", f"No agency {code}.")
        if not caller.is_admin and row.pcode not in caller.codes:
            raise forbidden(
                "delete_forbidden",
                f"Không được xóa đơn vị {code}.",
                f"You may not delete agency {code}.",
            )
        conn.execute(
            update(agencies)
            .where(agencies.c.code == code)
            .values(deleted=True, version=row.version + 1, modified_at=time.time())
        )
