"""schools."""
