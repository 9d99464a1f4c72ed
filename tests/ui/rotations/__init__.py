"""rotations."""
