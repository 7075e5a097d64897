"""One simulator module per provider; each defines ``SIMULATOR``."""
