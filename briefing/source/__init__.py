"""The YAML side: schema, reading with positions, loading, in-place editing, the starter."""
