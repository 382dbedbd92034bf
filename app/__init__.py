"""The policy advisor: retrieval, answering and the surfaces (CLI, page, widget API)."""
