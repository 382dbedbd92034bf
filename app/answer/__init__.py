"""Turning retrieved clauses into an answer with citations."""
