"""mentors."""
