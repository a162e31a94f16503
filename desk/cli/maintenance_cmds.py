"""Maintenance commands: register books, audit, fsck, backup/restore, reindex."""

from __future__ import annotations

import argparse
from pathlib import Path

from desk.cli.common import open_office
from desk.clock import today
from desk.i18n import t


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("registers", help=t("sổ văn bản", "register books"))
    rs = p.add_subparsers(dest="registers_cmd", required=True)
    pr = rs.add_parser("print", help=t("in sổ ra tệp DOCX", "print a register book to DOCX"))
    pr.add_argument("--book", choices=("in", "out"), required=True)
    pr.add_argument("--year", type=int, default=None)
    pr.add_argument("--secret", action="store_true", help=t("sổ văn bản mật", "secret register"))
    pr.add_argument("-o", "--output", type=Path, required=True)
    pr.set_defaults(func=cmd_registers_print)

    p = sub.add_parser("audit", help=t("nhật ký kiểm tra", "audit log"))
    au = p.add_subparsers(dest="audit_cmd", required=True)
    av = au.add_parser("verify", help=t("kiểm tra chuỗi nhật ký", "verify the chain"))
    av.add_argument("--backup", action="append", type=Path, metavar="FILE",
                    help=t("so thêm với mốc trong bản sao lưu này", "also check against this backup's anchor"))
    av.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("fsck", help=t("kiểm tra kho tệp và cơ sở dữ liệu", "check the store"))
    p.set_defaults(func=cmd_fsck)

    p = sub.add_parser("backup", help=t("sao lưu", "back up"))
    p.add_argument("dest", type=Path, help=t("tệp hoặc thư mục đích", "file or folder"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help=t("khôi phục từ bản sao lưu", "restore from a backup"))
    p.add_argument("archive", type=Path)
    p.add_argument("--show-config", action="store_true",
                   help=t("chỉ hiện các tệp cấu hình trong bản sao lưu", "only show the backup's config files"))
    p.add_argument("--with-config", action="store_true",
                   help=t("khôi phục cả tệp cấu hình (hiện nội dung trước)",
                          "restore its config files too (shown first)"))
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("reindex", help=t("dựng lại chỉ mục tìm kiếm", "rebuild the search index"))
    p.set_defaults(func=cmd_reindex)


def _backup_head(path: Path) -> dict[str, object]:
    import json
    import tarfile

    from desk.errors import ValidationError

    try:
        with tarfile.open(path, "r") as tar:
            f = tar.extractfile("manifest.json")
            head = json.loads(f.read(1 << 20)) if f else {}
            head = head.get("audit_head") if isinstance(head, dict) else None
    except (OSError, KeyError, ValueError, tarfile.TarError):
        head = None
    if not isinstance(head, dict):
        raise ValidationError(f"Bản sao lưu {path} không có mốc nhật ký.", f"The backup {path} has no audit anchor.")
    return head


def cmd_registers_print(args: argparse.Namespace) -> int:
    from desk.services.queries import write_register

    year = args.year or today().year
    with open_office(args) as office:
        n = write_register(office, args.book, year, args.output, "secret" if args.secret else "normal")
    print(t(f"Đã in {n} dòng vào {args.output}.", f"Printed {n} entries to {args.output}."))
    return 0


def _server_heads(home: Path) -> tuple[list[dict[str, object]] | None, str]:
    """The heads this office deposited on its exchange server, and a line saying what was done.

    ``None`` when there is no exchange connection or the server could not be asked.
    """
    from desk.errors import DeskError

    try:
        from sync.connection import load_connection
        from sync.errors import SyncError
    except ImportError:  # a build without the sync package
        return None, t("Không có mô-đun liên thông: chỉ so với mốc trên máy này.",
                       "No exchange module: checked against this computer's anchors only.")
    try:
        conn = load_connection(home)
    except SyncError as exc:
        if exc.code == "not_connected":
            return None, t("Chưa kết nối trục liên thông: chỉ so với mốc trên máy này và bản sao lưu.",
                           "No exchange server configured: checked against this computer's and the "
                           "backups' anchors only.")
        return None, t(f"KHÔNG đọc được cấu hình trục liên thông ({exc.vi}): chỉ so với mốc trên máy này.",
                       f"COULD NOT read the exchange settings ({exc.en}): checked against this "
                       "computer's anchors only.")
    try:
        with conn.client() as client:
            heads = client.audit_heads()
    except (DeskError, OSError) as exc:
        vi = getattr(exc, "vi", str(exc))
        en = getattr(exc, "en", str(exc))
        return None, t(f"KHÔNG lấy được mốc nhật ký từ trục liên thông {conn.url} ({vi}); "
                       "chỉ so với mốc trên máy này và bản sao lưu.",
                       f"COULD NOT get the audit heads from the exchange server {conn.url} ({en}); "
                       "checked against this computer's and the backups' anchors only.")
    return list(heads), t(f"Đã so với {len(heads)} mốc nhật ký lưu trên trục liên thông {conn.url}.",
                          f"Checked against {len(heads)} audit heads kept by the exchange server {conn.url}.")


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from desk import audit_anchor
    from desk.services.listings import verify_audit

    with open_office(args) as office:
        server_heads, server_note = _server_heads(office.paths.home)
        n, problems = verify_audit(office, [_backup_head(bak) for bak in getattr(args, "backup", None) or []],
                                   server_heads)
    print(server_note)
    superseded = [p for p in problems if p.kind == audit_anchor.SUPERSEDED]
    problems = [p for p in problems if p.kind != audit_anchor.SUPERSEDED]
    if superseded:
        print(t(f"{len(superseded)} mốc cũ hơn lần khôi phục bản sao lưu gần nhất (các mục sau bản sao lưu "
                "đã được thay bằng bản khôi phục; xem mục audit.restored trong nhật ký):",
                f"{len(superseded)} anchors are older than the last restore of a backup (the entries after "
                "that backup were replaced by the restore; see the audit.restored entry in the log):"))
        for p in superseded[:5]:
            print(f"  #{p.entry_id}: {p.detail}")
    if not problems:
        print(t(f"Nhật ký nguyên vẹn: {n} mục.", f"Audit log intact: {n} entries."))
        return 0
    print(t(f"NHẬT KÝ ĐÃ BỊ SỬA HOẶC XÓA ({len(problems)} vấn đề trong {n} mục):",
            f"AUDIT LOG TAMPERED WITH ({len(problems)} problems in {n} entries):"))
    for p in problems:
        kind = {"edited": t("bị sửa", "edited"), "missing": t("bị xóa", "removed"),
                "head": t("bị cắt đuôi", "truncated"), "anchor": t("mốc neo sai", "bad anchor"),
                "record": t("dữ liệu bị sửa ngoài Desk", "data changed outside Desk")}.get(p.kind, p.kind)
        print(f"  #{p.entry_id}: {kind} — {p.detail}")
    return 1


def cmd_fsck(args: argparse.Namespace) -> int:
    from desk.services.listings import check_store

    with open_office(args) as office:
        report, db_problems = check_store(office)
    print(t(f"Đã kiểm tra {report.checked} tệp.", f"Checked {report.checked} files."))
    for sha in report.damaged:
        print(t(f"  HỎNG: {sha} (nội dung không khớp mã băm)", f"  DAMAGED: {sha} (content differs from its hash)"))
    for sha in report.missing:
        print(t(f"  THIẾU: {sha}", f"  MISSING: {sha}"))
    if report.orphans:
        print(t(f"  {len(report.orphans)} tệp không thuộc văn bản nào (vô hại).",
                f"  {len(report.orphans)} files belong to no document (harmless)."))
    for p in db_problems:
        print(t(f"  CSDL: {p}", f"  DATABASE: {p}"))
    if report.ok and not db_problems:
        print(t("Kho dữ liệu nguyên vẹn.", "The store is intact."))
        return 0
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    from desk.backup import backup

    with open_office(args) as office:
        r = backup(office, args.dest)
    print(t(f"Đã sao lưu {r.documents} văn bản, {r.blobs} tệp vào {r.path} ({r.size / 1e6:.1f} MB).",
            f"Backed up {r.documents} documents and {r.blobs} files to {r.path} ({r.size / 1e6:.1f} MB)."))
    return 0


def _show_config(archive: Path) -> dict[str, str]:
    from desk.backup import config_in_backup

    files = config_in_backup(archive)
    for name, text in files.items():
        print(f"──── {name} ────")
        print(text.rstrip())
    if not files:
        print(t("Bản sao lưu không có tệp cấu hình.", "The backup holds no configuration files."))
    return files


def cmd_restore(args: argparse.Namespace) -> int:
    from desk.backup import restore

    if args.show_config:
        _show_config(args.archive)
        return 0
    if args.with_config and _show_config(args.archive):
        print(t("Các tệp cấu hình trên sẽ được khôi phục.", "The configuration files above will be restored."))
    r = restore(args.archive, args.home, with_config=args.with_config)
    print(t(f"Đã khôi phục và kiểm tra: {r.documents} văn bản, {r.blobs} tệp, {r.audit_entries} mục nhật ký "
            f"vào {r.home}.", f"Restored and verified {r.documents} documents, {r.blobs} files and "
            f"{r.audit_entries} audit entries into {r.home}."))
    if r.previous:
        print(t(f"Dữ liệu cũ được giữ tại {r.previous}.", f"The previous data was kept in {r.previous}."))
    if r.config_left:
        print(t(f"Không khôi phục tệp cấu hình: {', '.join(r.config_left)} "
                "(xem bằng --show-config, khôi phục bằng --with-config).",
                f"Configuration files not restored: {', '.join(r.config_left)} "
                "(see them with --show-config, restore them with --with-config)."))
    if r.skipped:
        print(t(f"Bỏ qua {len(r.skipped)} mục lạ trong bản sao lưu.",
                f"Skipped {len(r.skipped)} unknown entries in the backup."))
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        n = office.search.rebuild()
    print(t(f"Đã dựng lại chỉ mục: {n} văn bản.", f"Rebuilt the index: {n} documents."))
    return 0
