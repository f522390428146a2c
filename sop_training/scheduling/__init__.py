"""Trainer-led regional sessions: scheduling, registration, waitlists, attendance, calendars."""
