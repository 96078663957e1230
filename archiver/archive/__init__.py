"""The SQLite archive: schema, migrations and the queries shared by pipelines and CLI."""

from archiver.archive.store import Archive, ArchiveError, SaveCounts, check_archive_file, open_read_only

__all__ = ["Archive", "ArchiveError", "SaveCounts", "check_archive_file", "open_read_only"]
