"""Question banks, attempts, scoring and item analysis."""
