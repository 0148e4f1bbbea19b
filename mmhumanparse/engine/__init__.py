"""Runner-level hooks (none yet)."""
