"""Register service tests."""
