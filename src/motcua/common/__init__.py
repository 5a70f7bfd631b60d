"""Pieces every app shares: Vietnamese text handling, the API instance, base templates."""
