"""The main window's frame: what features may ask of it, and its menus and toolbar."""
