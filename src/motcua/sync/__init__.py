"""Synchronisation to the national public service portal: an outbox written with each dossier
change, delivered by a worker until the portal acknowledges it."""
