"""The window: the only PySide6 code in the program."""
