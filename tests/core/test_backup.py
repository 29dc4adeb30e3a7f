"""`presence backup` and `presence restore`: the database and the media storage, verified by a manifest."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from presence.org.models import Office

FILES = {
    "resilience/evidence/2024/report.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "interchange/imports/activities.xml": b"<iati-activities/>",
    "top-level.txt": b"hello",
}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Any:
    """A file-system media storage of its own, holding FILES."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    for name, content in FILES.items():
        default_storage.save(name, ContentFile(content))
    return default_storage


@pytest.fixture
def records(transactional_db: Any, reference: None, make_user: Any) -> None:
    make_user("afr-editor", ("editor", "AFR"))
    make_user("hq-viewer", ("viewer",))


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def stored_files(storage: Any, directory: str = "") -> dict[str, bytes]:
    folders, files = storage.listdir(directory)
    found = {}
    for name in files:
        path = f"{directory}/{name}" if directory else name
        with storage.open(path, "rb") as handle:
            found[path] = handle.read()
    for folder in folders:
        found.update(stored_files(storage, f"{directory}/{folder}" if directory else folder))
    return found


def damage_everything(storage: Any) -> None:
    """What a bad day does: records lost and added, files lost, changed and added."""
    get_user_model().objects.filter(username="afr-editor").delete()
    get_user_model().objects.create_user("intruder", password="x")
    Office.objects.filter(code="dakar").update(name="Renamed")
    storage.delete("top-level.txt")
    storage.delete("resilience/evidence/2024/report.pdf")
    storage.save("resilience/evidence/2024/report.pdf", ContentFile(b"something else"))
    storage.save("stray/new.bin", ContentFile(b"not in the backup"))


def round_trip(tmp_path: Path, media: Any) -> None:
    counts, files = row_counts(), stored_files(media)
    dakar_name = Office.objects.get(code="dakar").name
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    damage_everything(media)
    assert row_counts() != counts
    call_command("restore", str(tmp_path / "backup"), interactive=False, stdout=io.StringIO())
    assert row_counts() == counts
    assert stored_files(media) == files
    assert Office.objects.get(code="dakar").name == dakar_name


def test_backup_and_restore_round_trip_on_sqlite(records, media, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the database is not SQLite (DATABASE_URL points elsewhere); the PostgreSQL test runs")
    round_trip(tmp_path, media)


def test_backup_and_restore_round_trip_on_postgresql(records, media, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("set DATABASE_URL=postgres://... to run the PostgreSQL round trip (pg_dump, pg_restore)")
    round_trip(tmp_path, media)


def test_backup_writes_a_manifest_with_sizes_and_checksums(records, media, tmp_path):
    import hashlib

    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["database"] in manifest["files"]
    for name, content in FILES.items():
        assert manifest["files"][f"media/{name}"] == {
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        }


def test_backup_refuses_a_folder_that_is_not_empty(records, media, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="not a new or empty folder"):
        call_command("backup", str(tmp_path / "backup"))


@pytest.fixture
def made_backup(records: None, media: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    get_user_model().objects.create_user("made-after-the-backup", password="x")
    return folder


def refused(folder: Path, match: str) -> None:
    """The restore is refused with `match`, and neither the database nor the media changed."""
    counts, files = row_counts(), stored_files(default_storage)
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(folder), interactive=False)
    assert row_counts() == counts
    assert stored_files(default_storage) == files
    assert get_user_model().objects.filter(username="made-after-the-backup").exists()


def test_restore_refuses_a_backup_whose_media_file_was_changed(made_backup):
    (made_backup / "media" / "top-level.txt").write_bytes(b"hellO")
    refused(made_backup, r"media/top-level.txt does not match the manifest")


def test_restore_refuses_a_backup_whose_database_was_changed(made_backup):
    database = next(made_backup.glob("database.*"))
    database.write_bytes(database.read_bytes() + b"\0")
    refused(made_backup, rf"{database.name} does not match the manifest")


def test_restore_refuses_an_incomplete_backup(made_backup):
    (made_backup / "media" / "interchange" / "imports" / "activities.xml").unlink()
    refused(made_backup, r"incomplete: media/interchange/imports/activities.xml is missing")


def test_restore_refuses_a_file_the_manifest_does_not_list(made_backup):
    (made_backup / "media" / "planted.html").write_text("<script>")
    refused(made_backup, r"media/planted.html is not listed in the manifest")


def test_restore_refuses_a_folder_without_manifest(made_backup):
    (made_backup / "manifest.json").unlink()
    refused(made_backup, r"has no manifest.json")


def test_restore_refuses_a_manifest_naming_a_file_outside_the_backup(made_backup):
    manifest = json.loads((made_backup / "manifest.json").read_text())
    manifest["files"]["media/../../escape.txt"] = {"size": 1, "sha256": "0" * 64}
    (made_backup / "manifest.json").write_text(json.dumps(manifest))
    refused(made_backup, r"damaged or of an unknown format")


def test_restore_refuses_a_backup_of_another_database_engine(made_backup):
    manifest = json.loads((made_backup / "manifest.json").read_text())
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    database = manifest["database"]
    manifest["engine"] = other
    manifest["database"] = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}[other]
    manifest["files"][manifest["database"]] = manifest["files"].pop(database)
    (made_backup / database).rename(made_backup / manifest["database"])
    (made_backup / "manifest.json").write_text(json.dumps(manifest))
    refused(made_backup, rf"holds a {other} database")
