"""Checking a database without changing it: preflight, schema, cell scan, read-only opening."""
