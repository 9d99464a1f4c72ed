"""Pure-Python domain: enumerations, values, rules and errors. No database, no Qt."""
