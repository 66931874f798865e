"""Durable Temporal workflows that coordinate the services."""
