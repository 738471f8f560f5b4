"""Persona Desktop: customer segments, personas, product associations and
predictions from a small shop's own Excel/CSV exports, offline."""

__version__ = "0.1.0"
APP_NAME = "Persona Desktop"
