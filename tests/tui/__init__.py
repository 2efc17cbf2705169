"""The TUI driven with Pilot, and its snapshots."""
