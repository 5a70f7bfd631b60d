"""The working-day calendar and deadline arithmetic."""
