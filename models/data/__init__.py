"""Data adapters: real corpora and recordings turned into labelled windows for training."""
