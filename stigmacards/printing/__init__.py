"""Printable cards and table packs (PDF)."""
