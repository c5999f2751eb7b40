"""Extraction stages: one module per field (triggers, dates, places, actors, counts, demands, responses)."""
