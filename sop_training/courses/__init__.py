"""Catalogue, lessons, enrolment and progress."""
