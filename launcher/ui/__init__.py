"""Qt widgets: they display and forward; every decision lives in launcher.core."""
