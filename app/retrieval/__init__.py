"""Reading the index and finding the clauses that answer a question."""
