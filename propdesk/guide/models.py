"""The Service Guide (M06)."""
