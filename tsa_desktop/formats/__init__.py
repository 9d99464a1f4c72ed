"""Files in and out: spreadsheets, letters, calendars. No database, no Qt."""
