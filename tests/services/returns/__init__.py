"""Tests of the returns service."""
