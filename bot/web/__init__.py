"""Reading the web: SSRF-safe fetching, article extraction, links in messages and news feeds."""
