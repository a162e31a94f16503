"""One service function per user action; each runs in the caller's write transaction."""
