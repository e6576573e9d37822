"""Widgets: the main window and its panes, the viewer, dialogs."""
