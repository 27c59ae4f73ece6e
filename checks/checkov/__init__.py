"""The governance guild's custom checkov checks (checkov loads Python checks only from packages)."""
