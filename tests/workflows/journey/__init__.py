"""Tests of the pupil journey."""
