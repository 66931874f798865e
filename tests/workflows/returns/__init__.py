"""Tests of the scheduled LA-return workflow."""
