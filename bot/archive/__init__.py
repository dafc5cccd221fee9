"""Filling the archive: files to records, analysis, storage (CLI ingest, sample, feeds, links)."""
