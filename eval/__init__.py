"""Golden-question evaluation: run `eval/golden.jsonl` through the advisor, score it, gate regressions.

`policy-advisor eval` (or `python -m eval`) is the entry point; see eval/command.py.
"""
