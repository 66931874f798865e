"""Casework: the case file of each pupil journey, the officers' JSON API and the server-rendered officer UI."""
