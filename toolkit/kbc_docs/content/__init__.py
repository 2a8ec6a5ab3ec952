"""Reading a content file: load the YAML, check it against the schema, resolve references."""
