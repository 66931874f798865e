"""Statutory returns to the local authority (new pupil, deletion, attendance, sickness), built from register."""
