"""A deck as data: its format, model, loading with positions, checks, schema, catalog and interchange."""
