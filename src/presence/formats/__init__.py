"""The project's corrections to Django's locale formats (settings.FORMAT_MODULE_PATH).

Only what differs from Django's own formats is set here; everything else falls back to them.
"""
