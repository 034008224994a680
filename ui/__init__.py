"""Shared UI pieces for the pages: formatting, cached data access, charts, filters."""
