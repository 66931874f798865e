"""Tests of the durable workflows."""
