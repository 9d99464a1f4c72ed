"""Small reusable widgets: the fill chart, the year selector, import and export buttons."""
