"""Rebuild the labelled set of real documents from local mirrors of their public repositories.

Each ``[[doc]]`` of a manifest names its repository, path and commit (and sha256).
A file committed here (beside the manifest, in tests/data/real/docs/, or at the
repository path named by ``local``) is used as it is; the others are taken with ``git show COMMIT:PATH`` (or the newest stored version
when that commit is not in the mirror) from ``MIRRORS/owner+name/repo``, a bare
git directory (or a working copy holding ``.git``); nothing is downloaded. A document whose mirror is absent is
skipped with its reason printed, never silently.

    python tests/data/real/fetch_docs.py MANIFEST OUT_DIR [--mirrors DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

DEFAULT_MIRRORS = Path(os.environ.get("DESK_MIRRORS", "/work/.mirror"))


def fetch(manifest: Path, out: Path, mirrors: Path = DEFAULT_MIRRORS) -> tuple[list[Path], list[str]]:
    """(files present in ``out``, reasons for the ones that could not be had)."""
    docs = tomllib.loads(manifest.read_text(encoding="utf-8")).get("doc", [])
    out.mkdir(parents=True, exist_ok=True)
    have: list[Path] = []
    skipped: list[str] = []
    for d in docs:
        target = out / d["file"]
        if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == d.get("sha256"):
            have.append(target)
            continue
        candidates = [manifest.parent / d["file"], Path(__file__).resolve().parent / "docs" / d["file"]]
        if d.get("local"):  # a committed copy elsewhere in this repository
            candidates.append(Path(__file__).resolve().parents[3] / d["local"])
        local = next((c for c in candidates if c.is_file()
                      and hashlib.sha256(c.read_bytes()).hexdigest() == d.get("sha256")), None)
        if local is not None:
            if local.name != d["file"]:  # known by the manifest's name
                shutil.copyfile(local, target)
                local = target
            have.append(local)
            continue
        git_dir = mirrors / d["repo"].replace("/", "+") / "repo"
        if (git_dir / ".git").is_dir():  # a working copy rather than a bare mirror
            git_dir = git_dir / ".git"
        if not git_dir.is_dir():
            skipped.append(f"{d['file']}: no mirror of {d['repo']} under {mirrors}")
            continue
        data = b""
        for rev in (d.get("commit"), "HEAD"):
            if not rev:
                continue
            r = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{rev}:{d['path']}"],
                               capture_output=True)
            if r.returncode == 0:
                data = r.stdout
                break
        if not data:
            skipped.append(f"{d['file']}: {d['path']} not in the mirror of {d['repo']}")
            continue
        if d.get("sha256") and hashlib.sha256(data).hexdigest() != d["sha256"]:
            skipped.append(f"{d['file']}: the mirror's copy differs from the labelled one (sha256)")
            continue
        target.write_bytes(data)
        have.append(target)
    return have, skipped


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifest", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    a = ap.parse_args(argv)
    have, skipped = fetch(a.manifest, a.out, a.mirrors)
    for reason in skipped:
        print(f"skipped {reason}")
    print(f"{len(have)} documents ready, {len(skipped)} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
