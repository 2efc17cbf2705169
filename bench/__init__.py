"""Benchmarks for Kintsugi (issue 8): run ``python -m bench``; results in bench/RESULTS.md."""
