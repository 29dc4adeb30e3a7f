"""Resilience of field offices: assessments, findings, plans, installations, crisis-comms coverage."""
