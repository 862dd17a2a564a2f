"""Held-out evaluation: event scoring (SzCORE/timescoring), segment AUROC, classic baseline."""
