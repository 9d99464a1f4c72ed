"""Edit and import dialogs."""
