"""The append-only, hash-chained event log every state change writes to."""
