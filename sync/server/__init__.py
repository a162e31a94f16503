"""The exchange server (``desk serve``)."""

from sync.server.app import create_app
from sync.server.config import ServerConfig
from sync.server.directory import add_agency
from sync.server.run import serve

__all__ = ["ServerConfig", "add_agency", "create_app", "serve"]
