"""Surveys' analysis routes."""

console: list = []
portal: list = []
api: list = []
