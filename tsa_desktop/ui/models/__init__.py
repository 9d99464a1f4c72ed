"""Table models: thin adapters over lists of plain dataclasses."""
