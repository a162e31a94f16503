"""What every screen needs: the open office, the settings, who is working at this PC."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from desk.office import Office
from desk.services.queries import PersonLine
from ui.settings import Settings

# The person working at this PC, as the core lists people.
User = PersonLine


class AppContext:
    def __init__(self, office: Office, settings: Settings) -> None:
        self.office = office
        self.settings = settings
        self._user: User | None = None

    @property
    def settings_path(self) -> Path:
        return self.office.paths.settings

    def save_settings(self) -> None:
        self.settings.save(self.settings_path)

    # --- people ------------------------------------------------------------------------------

    def people(self) -> list[User]:
        from desk.services.queries import people

        return people(self.office)

    def user(self) -> User | None:
        if self._user is None:
            people = self.people()
            wanted = self.settings.current_user or os.environ.get("DESK_USER", "")
            chosen = next((p for p in people if p.username == wanted), None)
            if chosen is None and self.settings.users_on_pc:
                chosen = next((p for p in people if p.username in self.settings.users_on_pc), None)
            self._user = chosen or (people[0] if people else None)
        return self._user

    def set_user(self, username: str) -> None:
        self.settings.current_user = username
        self._user = None
        self.save_settings()

    @property
    def user_id(self) -> int | None:
        """The id of the person working at this PC (services take it as the actor)."""
        u = self.user()
        return u.id if u else None

    # --- signing -------------------------------------------------------------------------------

    def trust(self) -> Any:
        """The office's one trust object (as the CLI and the sync engine use), plus an extra folder
        chosen in Settings or ``DESK_TRUST_DIR``."""
        from desk.signatures import office_trust
        from signing.trust import TrustSettings

        trust = office_trust(self.office)
        folder = self.settings.trust_dir or os.environ.get("DESK_TRUST_DIR", "")
        return trust.merged(TrustSettings.from_folder(folder)) if folder else trust

    def token_modules(self) -> list[str]:
        from signing.modules import discover_modules

        configured = list(self.settings.token_modules)
        env = os.environ.get("DESK_PKCS11_MODULES")
        if env:
            configured += [p for p in env.split(os.pathsep) if p]
        return [m.path for m in discover_modules(configured) if m.usable]

    def tsa_url(self) -> str:
        from signing.trust import DEFAULT_TSA_URL

        return self.settings.tsa_url or os.environ.get("DESK_TSA_URL") or DEFAULT_TSA_URL
