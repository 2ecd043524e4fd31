"""SLI Desk's Qt shell: views, dialogs and item models over the `slidesk` services."""
