"""Typed clients of each service's internal API (httpx) and of the pupil journey (Temporal)."""
