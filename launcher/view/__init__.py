"""What the window shows, decided without Qt: words, formats, and plain data the widgets display.

Sits between :mod:`launcher.core` and :mod:`launcher.ui`: it may import core, never PySide6 nor
``launcher.ui``, so all of it is tested without a display.
"""
