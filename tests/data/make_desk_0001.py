"""Made once, kept: a store created at schema revision 0001 with a little data in it.

The migration test opens this file with the current code and checks that it is
upgraded and its data intact. Do not regenerate it for newer revisions; add a new
fixture for a new revision instead.
"""

import sqlite3
import sys
from pathlib import Path

from desk.db import Database
from desk.migrations import upgrade

out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("desk-0001.sqlite3"))
out.unlink(missing_ok=True)
db = Database(out, migrate=False)
upgrade(db, "0001")
db.dispose()
con = sqlite3.connect(out)
con.executescript("""
INSERT INTO organizations(id, code, name, is_self, place, notation)
  VALUES (1, '000.00.12.H49', 'Ủy ban nhân dân huyện Tiên Yên', 1, 'Tiên Yên', 'UBND');
INSERT INTO people(id, username, full_name, position, active) VALUES (1, 'vanthu', 'Nguyễn Thị Lan', 'Văn thư', 1);
INSERT INTO person_roles(person_id, role) VALUES (1, 'van_thu');
INSERT INTO documents(id, direction, state, doc_type, number, notation, issuer_code, issuer_name,
  issued_date, subject, urgency, confidentiality, source, created_at, updated_at)
  VALUES (1, 'in', 'registered', 'QD', '507', 'QĐ-UBND', '000.00.00.H49', 'Ủy ban nhân dân tỉnh Quảng Ninh',
  '2026-11-02', 'Quyết định về việc phê duyệt kế hoạch phòng, chống thiên tai năm 2027', 0, 0, 'paper',
  '2026-11-03 08:00:00.000000', '2026-11-03 08:05:00.000000');
INSERT INTO register_counters(book, series, year, last_number) VALUES ('in', 'normal', 2026, 1);
INSERT INTO register_entries(id, book, series, year, number, document_id, registered_at, registered_by)
  VALUES (1, 'in', 'normal', 2026, 1, 1, '2026-11-03 08:05:00.000000', 1);
""")
con.commit()
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.execute("PRAGMA journal_mode=DELETE")
con.close()
print(out)
