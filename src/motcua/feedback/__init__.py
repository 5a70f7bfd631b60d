"""Petitions and complaints (phản ánh, kiến nghị) and the Open311 GeoReport v2 interface."""
