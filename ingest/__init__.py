"""Corpus → cleaned text → clauses → chunks → index (Chroma vectors + BM25)."""
