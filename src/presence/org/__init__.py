"""Organization structure (regions, countries, offices), people's role assignments and API tokens."""
