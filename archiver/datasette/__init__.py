"""Datasette metadata shipped with archiver (metadata.yml)."""
