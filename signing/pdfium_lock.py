"""The one lock around pdfium for the whole process.

pdfium (pypdfium2) is not thread-safe, and the app renders previews, finds
signature places, locates a draft's blanks and renders scans for OCR on worker
threads. Every call into pdfium, in any package, holds this lock; it lives here
because signing imports none of the other packages while desk and ui may import
signing. Re-entrant, so a caller may hold it around a call that takes it again.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
