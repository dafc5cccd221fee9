"""PostgreSQL repositories: the same protocols as the SQLite ones, for several workers and
machines sharing one database (``KATASIAPA_DB=postgresql://...``). See storage/README.md."""
