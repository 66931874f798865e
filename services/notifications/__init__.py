"""Notifications: tells parents, social workers, virtual school heads and LA staff what the guidance expects, once."""
