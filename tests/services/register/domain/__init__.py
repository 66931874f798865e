"""Unit tests of the register's pure domain rules."""
