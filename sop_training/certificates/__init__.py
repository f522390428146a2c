"""Certificates: issuing, PDF rendering, public verification, badges, expiry."""
