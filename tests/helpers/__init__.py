"""Test helpers: the local Bot API stand-in and the in-process recording request."""
