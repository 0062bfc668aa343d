"""Notices (M05)."""
