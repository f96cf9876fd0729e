"""The program's version: one string, below everything that shows it (window, command line, builds)."""

from __future__ import annotations

__version__ = "0.1.0"
