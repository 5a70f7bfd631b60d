"""Demo ratings: returned dossiers are rated through `rating_submit` at the kiosk, by the
notification's link or on the portal; a reload rates nothing twice."""

import pytest

from motcua.audit.models import Event
from motcua.demo.ratings import load_demo_ratings
from motcua.surveys.models import Rating

pytestmark = pytest.mark.django_db


def test_returned_dossiers_get_ratings_on_every_channel_once(make_dossier, citizen):
    # given: twenty dossiers returned to people without an account, one to demo-citizen
    anonymous = [make_dossier(f"2026-03-{day:02d}", applicant_user=None) for day in range(2, 22)]
    own = make_dossier("2026-03-23")
    open_one = make_dossier("2026-03-24", returned=False)
    # when
    made = load_demo_ratings()
    # then
    ratings = Rating.objects.all()
    assert made == ratings.count() and made >= 5
    assert set(ratings.values_list("channel", flat=True)) == {"kiosk", "link", "portal"}
    assert ratings.get(dossier=own).channel == "portal"
    assert not ratings.filter(dossier=open_one).exists()
    assert ratings.filter(dossier__in=anonymous).count() < len(anonymous)
    returned = [(r.updated_at, r.dossier.returned_at) for r in ratings]
    assert all(back is not None and rated >= back for rated, back in returned)
    assert Event.objects.filter(subject_type="rating").count() == made
    assert load_demo_ratings() == 0
    assert Rating.objects.count() == made
