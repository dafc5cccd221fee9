"""The ``katasiapa`` command line."""
