"""Finding what the archive holds for a forwarded text or a quote, and deciding what to show."""
