"""PyInstaller hook for mne: the files it reads at run time, and its lazily loaded modules.

mne declares each subpackage's public names in ``__init__.pyi`` stubs that ``lazy_loader``
reads when the package is imported, so those stubs must travel as data. Ictal also reads
mne's standard electrode positions (``channels/data/montages``) for the report's scalp map,
and readers look up ``data/`` tables. Submodules are imported by attribute access
(``mne.channels.make_standard_montage``), which static analysis cannot see, so all of them
are listed except mne's own command-line scripts and its 3-D GUI. The GUI icons and the
HTML report's JavaScript are left out: Ictal uses neither.
"""

from __future__ import annotations

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

_SKIPPED_MODULES = ("mne.commands", "mne.gui", "mne.conftest")

datas = collect_data_files("mne", excludes=["icons/**", "report/js_and_css/**", "**/tests/**"])

hiddenimports = collect_submodules(
    "mne",
    filter=lambda name: not name.startswith(_SKIPPED_MODULES) and ".tests" not in name,
)
