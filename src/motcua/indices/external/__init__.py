"""External indices (PCI, PAPI): imported from CSV and compared, never computed here."""
