"""Pure rules and value types: no database, no I/O."""
