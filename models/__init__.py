"""Ictal's epilepsy foundation model (Qt-free; the app reaches it only through models.api)."""
