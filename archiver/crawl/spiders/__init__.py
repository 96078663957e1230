"""Spiders: what to fetch and what to follow."""
