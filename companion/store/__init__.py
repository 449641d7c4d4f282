"""The patient database (sqlite-utils)."""
