"""The agency directory: who may use the exchange, and the axis directory calls."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from sync.axis import new_secret
from sync.edxml.rules import ORGAN_ID_MAX, ORGAN_ID_RE
from sync.server.auth import Caller
from sync.server.db import agencies, audit_log, delegations, log_event
from sync.server.errors import ApiError, bad_request, forbidden, not_found
from sync.server.secrets import seal_secret

ADMIN = "admin"  # the actor recorded for the administrator's command-line actions


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
    actor: str = ADMIN,
) -> str:
    """Register an agency (the server administrator's action); returns its secret, shown once.

    A code is never taken over: a live code is refused whoever asks. A deleted code comes
    back only by the administrator's hand, with new credentials.
    """
    code = check_code(code)
    secret = secret or new_secret()
    values = dict(
        code=code,
        system_id=system_id or code,
        secret=seal_secret(engine, secret),
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
    try:
        with engine.begin() as conn:
            old = conn.execute(select(agencies).where(agencies.c.code == code)).first()
            if old is not None and old.deleted and actor == ADMIN:
                conn.execute(
                    update(agencies)
                    .where(agencies.c.code == code)
                    .values(**values, deleted=False, version=old.version + 1)
                )
                log_event(conn, actor, "agency.restore", code, name)
            else:
                conn.execute(insert(agencies).values(**values))
                log_event(conn, actor, "agency.add", code, f"{name}; pcode={pcode}; send_for={values['send_for']}"
                          f"{'; admin' if is_admin else ''}")
    except IntegrityError:
        raise ApiError(
            "409",
            "agency_exists",
            f"Đơn vị {code} đã được đăng ký.",
            f"Agency {code} is already registered.",
        ) from None
    return secret


def delegate(engine: Engine, code: str, parent: str) -> None:
    """The administrator lets ``parent`` register (and later delete) ``code`` under itself."""
    code, parent = check_code(code), check_code(parent)
    with engine.begin() as conn:
        if conn.execute(select(agencies.c.id).where(agencies.c.code == parent,
                                                    agencies.c.deleted.is_(False))).first() is None:
            raise not_found(f"Không có đơn vị {parent}.", f"No agency {parent}.")
        conn.execute(delete(delegations).where(delegations.c.code == code))
        conn.execute(insert(delegations).values(code=code, parent_code=parent, created_at=time.time()))
        log_event(conn, ADMIN, "agency.delegate", code, f"to {parent}")


def _delegated_to(conn: Connection, code: str) -> str | None:
    return conn.execute(select(delegations.c.parent_code).where(delegations.c.code == code)).scalar()


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
    """``registerAgency``: the administrator, or a parent agency for a code delegated to it.

    A parent may register only a code the administrator delegated to it, never one that is
    (or was) registered; it then sends and reads for it.
    """
    code = check_code(str(body.get("code", "")))
    pcode = str(body.get("pcode", "") or "")
    if not caller.is_admin:
        with engine.connect() as conn:
            parent = _delegated_to(conn, code)
            taken = conn.execute(select(agencies.c.id).where(agencies.c.code == code)).first()
        if parent != caller.code or taken is not None:
            with engine.begin() as conn:
                log_event(conn, caller.system_id, "agency.register_refused", code,
                          "taken" if taken is not None else "not delegated")
            raise forbidden(
                "register_forbidden",
                f"Không được đăng ký mã {code}: chỉ quản trị trục, hoặc đơn vị cấp trên được "
                "quản trị giao mã này, mới đăng ký được; mã đã có không bao giờ được đăng ký lại.",
                f"You may not register {code}: only the server administrator, or a parent agency "
                "the administrator delegated the code to, may; a registered code is never taken over.",
            )
        pcode = caller.code
    secret = add_agency(
        engine,
        code,
        str(body.get("name", ""))[:400],
        pcode=pcode[:64],
        mail=str(body.get("mail", "") or "")[:200],
        mobile=str(body.get("mobile", "") or "")[:50],
        fax=str(body.get("fax", "") or "")[:50],
        actor=ADMIN if caller.is_admin else caller.system_id,
    )
    if not caller.is_admin:
        # The parent that registered the unit sends and reads for it.
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


def delete_agency(engine: Engine, caller: Caller | None, code: str) -> None:
    """Delete an agency: its credentials stop working at once, and nobody sends as it any more.

    ``caller`` None is the administrator on the command line.
    """
    with engine.begin() as conn:
        row = conn.execute(
            select(agencies).where(agencies.c.code == code, agencies.c.deleted.is_(False))
        ).first()
        if row is None:
            raise not_found(f"Không có đơn vị {code}.", f"No agency {code}.")
        admin = caller is None or caller.is_admin
        if not admin and not (row.pcode == caller.code and _delegated_to(conn, code) == caller.code):  # type: ignore[union-attr]
            log_event(conn, caller.system_id, "agency.delete_refused", code)  # type: ignore[union-attr]
            raise forbidden(
                "delete_forbidden",
                f"Không được xóa đơn vị {code}.",
                f"You may not delete agency {code}.",
            )
        conn.execute(
            update(agencies)
            .where(agencies.c.code == code)
            # A fresh random secret nobody knows: the old one is dead at once.
            .values(deleted=True, version=row.version + 1, modified_at=time.time(),
                    secret=seal_secret(engine, new_secret()), send_for="")
        )
        # Nobody keeps sending or reading as the deleted code.
        for other in conn.execute(select(agencies.c.id, agencies.c.send_for)
                                  .where(agencies.c.send_for.like(f"%{code}%"))).all():
            kept = ",".join(c for c in other.send_for.split(",") if c and c != code)
            conn.execute(update(agencies).where(agencies.c.id == other.id).values(send_for=kept))
        log_event(conn, ADMIN if admin else caller.system_id, "agency.delete", code)  # type: ignore[union-attr]


def audit_entries(engine: Engine, limit: int = 1000) -> list[dict[str, Any]]:
    """The newest entries of the server's audit log."""
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).all()
    return [{"at": r.at, "actor": r.actor, "action": r.action, "code": r.code, "detail": r.detail}
            for r in rows]
