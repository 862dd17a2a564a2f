"""The menu bar: File, View, Navigate, Montage (the same actions as the keys)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMenu

from app.ui.actions import ViewerActions


def build_menus(window: QMainWindow, actions: ViewerActions) -> QMenu:
    """Fill the window's menu bar; returns the (initially empty) recent-files menu."""
    bar = window.menuBar()
    file_menu = bar.addMenu(window.tr("&File"))
    file_menu.addAction(actions.open)
    recent = file_menu.addMenu(window.tr("Open &recent"))
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)

    navigate = bar.addMenu(window.tr("&Navigate"))
    for action in (
        actions.next_page,
        actions.previous_page,
        actions.forward_half,
        actions.back_half,
        actions.home,
        actions.end,
        actions.goto,
    ):
        navigate.addAction(action)
    navigate.addSeparator()
    navigate.addAction(actions.next_annotation)
    navigate.addAction(actions.previous_annotation)

    view = bar.addMenu(window.tr("&View"))
    view.addAction(actions.more_sensitive)
    view.addAction(actions.less_sensitive)
    view.addSeparator()
    view.addAction(actions.show_all)
    view.addAction(actions.calibrate)
    actions.docks_menu = view.addMenu(window.tr("Panels"))

    actions.montage_menu = bar.addMenu(window.tr("&Montage"))
    return recent
