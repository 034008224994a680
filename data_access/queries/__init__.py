"""Reads: the aggregate engine, lookups, activities and tracking queries over the database."""
