"""Mentions -> events: merging the mentions of one happening within and across reports."""
