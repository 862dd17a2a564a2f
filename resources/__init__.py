"""Package data: montages, electrode positions, prompts, icons, styles."""

from importlib.resources import files
from importlib.resources.abc import Traversable


def resource_path(*parts: str) -> Traversable:
    """Return a traversable path to a file under ``resources/``."""
    path = files(__name__)
    for part in parts:
        path = path.joinpath(part)
    return path
