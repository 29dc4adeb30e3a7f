"""Regional Presence: records and dashboard for an organization's field offices."""

__version__ = "0.1.0"
