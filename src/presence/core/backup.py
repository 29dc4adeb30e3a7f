"""Backups: the database and every file of the media storage in one folder, with a manifest of checksums.

A backup folder holds `database.sqlite3` (SQLite's online backup API) or `database.pgdump` (pg_dump,
custom format), the media files under `media/`, and `manifest.json` with each file's size and SHA-256.
A restore verifies the whole folder against the manifest before it changes anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
FORMAT = 1
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be made or restored; the message says which file or setting is wrong."""


@dataclass(frozen=True)
class Summary:
    engine: str
    database_bytes: int
    media_files: int
    media_bytes: int


def database_engine(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor})
    return vendor


def storage_files(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in the storage, walking its folders."""
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:  # a media folder that was never created holds nothing
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for folder in sorted(folders):
        yield from storage_files(storage, f"{directory}/{folder}" if directory else folder)


def file_digest(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def pg_environment(using: str) -> dict[str, str]:
    """libpq's variables for the connection `using`, so no password appears on a command line."""
    settings_dict = connections[using].settings_dict
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = str(settings_dict["OPTIONS"]["sslmode"])
    return environment


def run_tool(arguments: list[str], using: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - fixed PostgreSQL tools, no shell
            arguments, env=pg_environment(using), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            _("%(tool)s is not installed or not on the PATH.") % {"tool": arguments[0]}
        ) from None
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": arguments[0], "error": result.stderr.strip()}
        )


def copy_database(target: Path, engine: str, using: str) -> None:
    connection = connections[using]
    if engine == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        run_tool(["pg_dump", "--format=custom", "--no-owner", "--file", str(target)], using)


def backup(folder: Path, *, using: str = "default", storage: Storage | None = None) -> Summary:
    """Write the database, the media files and the manifest into `folder` (new or empty)."""
    storage = storage or default_storage
    engine = database_engine(using)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(_("%(folder)s is not a new or empty folder.") % {"folder": folder})
    folder.mkdir(parents=True, exist_ok=True)
    database_file = DATABASE_FILES[engine]
    copy_database(folder / database_file, engine, using)
    files = {database_file: file_digest(folder / database_file)}
    for name in storage_files(storage):
        target = folder / MEDIA / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            while chunk := source.read(CHUNK):
                copy.write(chunk)
        files[f"{MEDIA}/{name}"] = file_digest(target)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": database_file,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return summarize(manifest)


def summarize(manifest: dict[str, Any]) -> Summary:
    media = [entry for name, entry in manifest["files"].items() if name.startswith(f"{MEDIA}/")]
    return Summary(
        engine=manifest["engine"],
        database_bytes=manifest["files"][manifest["database"]]["size"],
        media_files=len(media),
        media_bytes=sum(entry["size"] for entry in media),
    )


def safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def verify(folder: Path, *, using: str = "default") -> dict[str, Any]:
    """The folder's manifest, once every file matches it; BackupError naming the first problem."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(
            _("%(folder)s has no %(manifest)s: it is not a backup made by `presence backup`.")
            % {"folder": folder, "manifest": MANIFEST}
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files: dict[str, dict[str, Any]] = manifest["files"]
        engine, database_file = manifest["engine"], manifest["database"]
        if manifest["format"] != FORMAT or DATABASE_FILES.get(engine) != database_file:
            raise ValueError
        for name, entry in files.items():
            if (
                not safe_name(name)
                or not isinstance(entry["size"], int)
                or not isinstance(entry["sha256"], str)
            ):
                raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BackupError(
            _("%(manifest)s in %(folder)s is damaged or of an unknown format.")
            % {"manifest": MANIFEST, "folder": folder}
        ) from None
    if database_file not in files:
        raise BackupError(_("The manifest of %(folder)s lists no database.") % {"folder": folder})
    current = database_engine(using)
    if engine != current:
        raise BackupError(
            _("This backup holds a %(engine)s database; this installation uses %(current)s.")
            % {"engine": engine, "current": current}
        )
    for name, entry in sorted(files.items()):
        path = folder / name
        if not path.is_file():
            raise BackupError(_("The backup is incomplete: %(name)s is missing.") % {"name": name})
        if file_digest(path) != {"size": entry["size"], "sha256": entry["sha256"]}:
            raise BackupError(
                _("%(name)s does not match the manifest (size or SHA-256 checksum): the backup was changed.")
                % {"name": name}
            )
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and name != MANIFEST and name not in files:
            raise BackupError(
                _("%(name)s is not listed in the manifest: the backup was changed.") % {"name": name}
            )
    return dict(manifest)


def restore_database(source: Path, engine: str, using: str) -> None:
    connection = connections[using]
    if engine == "sqlite":
        copy = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            copy.backup(connection.connection)
        finally:
            copy.close()
    else:
        connection.close()  # pg_restore drops the tables: hold no locks on them
        run_tool(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                str(connection.settings_dict["NAME"]),
                str(source),
            ],
            using,
        )


def restore_media(folder: Path, names: list[str], storage: Storage) -> None:
    """Make the storage hold exactly the backup's files."""
    wanted = set(names)
    for name in list(storage_files(storage)):
        if name not in wanted:
            storage.delete(name)
    for name in names:
        if storage.exists(name):
            storage.delete(name)
        with (folder / MEDIA / name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=PurePosixPath(name).name))
        if saved != name:
            raise BackupError(
                _("The storage saved %(name)s as %(saved)s; restore it by hand.")
                % {"name": name, "saved": saved}
            )


def restore(folder: Path, *, using: str = "default", storage: Storage | None = None) -> Summary:
    """Replace the database and the media storage with a verified backup's."""
    storage = storage or default_storage
    manifest = verify(folder, using=using)
    restore_database(folder / manifest["database"], manifest["engine"], using)
    prefix = f"{MEDIA}/"
    names = sorted(name.removeprefix(prefix) for name in manifest["files"] if name.startswith(prefix))
    restore_media(folder, names, storage)
    return summarize(manifest)
