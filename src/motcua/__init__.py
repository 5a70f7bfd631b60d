"""motcua: an electronic one-stop government platform for a Vietnamese province."""
