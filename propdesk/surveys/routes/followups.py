"""Surveys' followups routes."""

console: list = []
portal: list = []
api: list = []
