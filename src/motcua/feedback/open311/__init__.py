"""Open311 GeoReport v2 over the petitions: categories are the services, petitions the requests."""
