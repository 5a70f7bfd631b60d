"""The catalog of administrative procedures (TTHC) and its Vietnamese search."""
