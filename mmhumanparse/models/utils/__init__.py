"""Building blocks shared by mmhumanparse models."""

__all__ = []
