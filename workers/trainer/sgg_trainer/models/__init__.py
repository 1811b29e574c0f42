"""Model definitions trained by the adapters."""
