"""Helpers the whole suite shares: databases, identities, ports, the SMTP sink, Temporal servers."""
