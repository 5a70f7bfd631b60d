"""Administrative units, agencies, staff and their roles."""
