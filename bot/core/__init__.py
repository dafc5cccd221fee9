"""The domain core: models, errors, text normalization and the clock.

The only part of ``bot`` that ``storage`` may import; it imports nothing else of the project.
"""
