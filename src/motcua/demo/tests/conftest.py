"""The demo's tests build on the apps' own fixtures: the petition categories (feedback) and a
returned dossier with its citizen (surveys)."""

from motcua.feedback.tests.conftest import world  # noqa: F401 - the world with petition categories
from motcua.surveys.tests.conftest import citizen, criteria, make_dossier  # noqa: F401
