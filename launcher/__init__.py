"""Call Launcher: place outbound calls through voice providers' REST APIs and watch them live."""

__version__ = "0.1.0"
