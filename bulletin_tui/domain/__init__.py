"""Pydantic models and pure rules. Imports nothing else of bulletin_tui."""
