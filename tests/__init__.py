"""Kintsugi's tests. What they share is in tests/support; the fixtures every test may ask for
are in tests/conftest.py."""
