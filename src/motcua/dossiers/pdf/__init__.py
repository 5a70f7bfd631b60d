"""Printable PDFs of the one-stop forms (Circular 03/2025/TT-VPCP, Annex I), from JSON templates.

`render_form("receipt", data)` returns PDF bytes; see README.md for templates and data keys.
"""

from .loader import FORM_CODES
from .renderer import render_form

__all__ = ["FORM_CODES", "render_form"]
