"""Fees and payment gateways: a built-in test gateway and the interface real ones plug into."""
