"""The exchange server (``desk serve``).

What it does with recipients it does not know, and which statuses it accepts from whom,
is written down in sync/README.md (in the terms of the spec, §1 and §4).
"""

from sync.server.app import create_app
from sync.server.config import ServerConfig
from sync.server.directory import add_agency
from sync.server.run import serve

__all__ = ["ServerConfig", "add_agency", "create_app", "serve"]
