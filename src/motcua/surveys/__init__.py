"""Service ratings at the desk, in the portal and by link; later, SIPAS surveys."""
