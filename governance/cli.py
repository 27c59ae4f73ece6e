"""Placeholder until the CLI lands (same commit series)."""

def main() -> None:
    raise SystemExit(0)
