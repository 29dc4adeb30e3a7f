"""Allows `python -m presence`."""

from presence.cli import main

main()
