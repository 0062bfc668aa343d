"""Surveys' campaigns routes."""

console: list = []
portal: list = []
api: list = []
