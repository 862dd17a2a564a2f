"""Ictal: review clinical EEG in epilepsy."""

__version__ = "0.1.0"
