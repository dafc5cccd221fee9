"""Daily digests: schedules, pure composition, pacing and exactly-once delivery."""
