"""A local simulator of every provider's call API, for use with no account and no network."""
