"""Call-test suites: calls written down with what should happen, run against any profile."""
