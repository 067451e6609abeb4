"""presstrace: turn messy news articles into clean, dated, attributed, deduplicated data."""

__version__ = "0.1.0"
