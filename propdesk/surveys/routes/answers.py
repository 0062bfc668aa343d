"""Surveys' answers routes."""

console: list = []
portal: list = []
api: list = []
