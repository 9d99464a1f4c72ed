"""Use cases. Each opens and owns its transaction and returns plain dataclasses, never ORM objects."""
