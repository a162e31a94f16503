"""Setting up the office: the organisation, its units and people."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import audit
from desk.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from desk.models import Organization, Person, PersonRole, Unit
from desk.reference import Role, validate_org_id


def self_org(session: Session) -> Organization:
    org = session.scalars(select(Organization).where(Organization.is_self)).first()
    if org is None:
        raise NotFoundError(
            "Chưa khai báo cơ quan. Hãy chạy 'desk init' trước.",
            "No organisation is set up yet. Run 'desk init' first.",
            code="no_office",
        )
    return org


def init_office(
    session: Session, code: str, name: str, *, place: str | None = None,
    notation: str | None = None, parent_code: str | None = None, actor: str | None = None,
) -> Organization:
    code = validate_org_id(code)
    if session.scalars(select(Organization).where(Organization.is_self)).first():
        raise ConflictError(
            "Kho dữ liệu này đã có cơ quan.", "This store already has an organisation.",
            code="office_exists",
        )
    _check_len(name, 200, "Tên cơ quan", "Organisation name")
    org = session.scalars(select(Organization).where(Organization.code == code)).first()
    if org is None:
        org = Organization(code=code, name=name)
        session.add(org)
    org.name, org.is_self, org.place, org.notation = name, True, place, notation
    org.parent_code = validate_org_id(parent_code) if parent_code else None
    session.flush()
    audit.record(session, actor, "office.init", "organization", org.id, code=code, name=name)
    return org


def upsert_organization(session: Session, code: str, name: str, **fields: str | None) -> Organization:
    code = validate_org_id(code)
    _check_len(name, 200, "Tên cơ quan", "Organisation name")
    org = session.scalars(select(Organization).where(Organization.code == code)).first()
    if org is None:
        org = Organization(code=code, name=name, is_self=False)
        session.add(org)
    org.name = name
    for k, v in fields.items():
        setattr(org, k, v)
    session.flush()
    return org


def add_unit(session: Session, name: str, notation: str | None = None,
             actor: str | None = None) -> Unit:
    org = self_org(session)
    unit = Unit(organization_id=org.id, name=name, notation=notation)
    session.add(unit)
    session.flush()
    audit.record(session, actor, "unit.add", "unit", unit.id, name=name)
    return unit


def add_person(
    session: Session, username: str, full_name: str, roles: Iterable[str], *,
    position: str | None = None, unit: Unit | None = None, actor: str | None = None,
) -> Person:
    role_set = {Role(r) for r in roles}
    if not role_set:
        raise ValidationError("Mỗi người cần ít nhất một vai trò.", "Each person needs a role.")
    _check_len(full_name, 50, "Họ tên", "Full name")
    if position:
        _check_len(position, 100, "Chức vụ", "Position")
    if session.scalars(select(Person).where(Person.username == username)).first():
        raise ConflictError(f"Tên đăng nhập {username!r} đã có.", f"Username {username!r} exists.")
    person = Person(username=username, full_name=full_name, position=position,
                    unit_id=unit.id if unit else None, active=True)
    person.roles = [PersonRole(role=r.value) for r in sorted(role_set)]
    session.add(person)
    session.flush()
    audit.record(session, actor, "person.add", "person", person.id, username=username,
                 roles=sorted(r.value for r in role_set))
    return person


def person_by_username(session: Session, username: str) -> Person:
    p = session.scalars(select(Person).where(Person.username == username)).first()
    if p is None:
        raise NotFoundError(f"Không có người dùng {username!r}.", f"No user {username!r}.",
                            code="no_user")
    return p


def default_person(session: Session, role: Role | None = None) -> Person:
    q = select(Person).where(Person.active).order_by(Person.id)
    if role is not None:
        q = q.join(PersonRole).where(PersonRole.role == role.value)
    p = session.scalars(q).first()
    if p is None:
        raise NotFoundError("Chưa có người dùng nào.", "No users yet.", code="no_user")
    return p


def require_role(person: Person, role: Role) -> None:
    if role.value not in person.role_names:
        raise PermissionDenied(
            f"{person.full_name} không có vai trò {role.label}.",
            f"{person.full_name} does not have the role {role.value}.",
        )


def _check_len(value: str, limit: int, vi: str, en: str) -> None:
    if not value.strip():
        raise ValidationError(f"{vi} không được để trống.", f"{en} must not be empty.")
    if len(value) > limit:
        raise ValidationError(
            f"{vi} dài {len(value)} ký tự, tối đa {limit}.",
            f"{en} is {len(value)} characters long; at most {limit}.",
            code="too_long",
        )
