"""The bottom layer: settings, user-facing errors and the Chinese-text helpers.

Both `ingest/` (which builds the index) and `app/` (which answers from it)
import from here, and this package imports neither, so imports run one way:
surfaces → advisor → answer → retrieval → index/ingest → policy_core.
`tests/test_import_layers.py` holds the code to that.
"""
