"""Shared kernel: base models, audit trail, versioned writes, API and page helpers."""
