"""Completion reports for programme staff: dashboard, coverage, exports, API (read-only)."""
