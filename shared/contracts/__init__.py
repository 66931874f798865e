"""Pydantic models that cross a service boundary (HTTP between services, and the journey's Temporal messages)."""
