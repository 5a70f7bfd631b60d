"""Demo ratings of returned dossiers, given through `rating_submit` on the three channels the
system offers: the kiosk at the desk (code + lookup key), the signed link in the return
notice, and the portal (the applicant's own account). Which dossiers are rated, how and how
well is drawn from the dossier code, so a reload rates the same ones the same way and skips
those already rated."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status
from motcua.surveys.access import link_token
from motcua.surveys.models import OVERALL, Rating, RatingChannel, RatingCriterion, Stage
from motcua.surveys.selectors import criteria_in_force
from motcua.surveys.services import rating_submit

RATED_SHARE = 0.45  # of returned dossiers without an account; the portal user rates them all
# Overall levels and their weights: mostly satisfied, as the province's measurements show.
LEVELS = ((5, 0.55), (4, 0.30), (3, 0.09), (2, 0.04), (1, 0.02))
COMMENTS = {
    5: ("Cán bộ hướng dẫn tận tình, trả kết quả sớm hơn hẹn.", ""),
    4: ("Thủ tục nhanh gọn.", ""),
    3: ("Phải chờ khá lâu ở quầy tiếp nhận.", ""),
    2: ("Hẹn trả kết quả nhưng phải đi lại hai lần.",),
    1: ("Không được hướng dẫn rõ giấy tờ cần bổ sung.",),
}


def _rng(code: str) -> random.Random:
    seed = int.from_bytes(hashlib.sha256(code.encode()).digest()[:8], "big")
    return random.Random(seed)  # noqa: S311 - demo data, not security


def _level(rng: random.Random) -> int:
    return rng.choices([v for v, _ in LEVELS], weights=[w for _, w in LEVELS])[0]


@transaction.atomic
def load_demo_ratings(*, now: dt.datetime | None = None) -> int:
    """Rate returned dossiers not rated yet at the return stage; the number of ratings made."""
    now = now or timezone.now()
    first = RatingCriterion.objects.aggregate(first=Min("effective_from"))["first"]
    if first is None:
        return 0  # no criteria loaded: nothing can be rated
    rated = Rating.objects.filter(stage=Stage.RETURN).values("dossier_id")
    dossiers = (
        Dossier.objects.filter(
            status=Status.RETURNED,
            returned_at__gte=dt.datetime.combine(
                first, dt.time(), tzinfo=timezone.get_current_timezone()
            ),
        )
        .exclude(pk__in=rated)
        .select_related("applicant_user")
        .order_by("returned_at", "pk")
    )
    questions = [c.code for c in criteria_in_force(Stage.RETURN) if c.code != OVERALL]
    made = 0
    for dossier in dossiers.iterator(chunk_size=500):
        rng = _rng(dossier.code)
        has_account = dossier.applicant_user_id is not None
        if not has_account and rng.random() >= RATED_SHARE:
            continue
        overall = _level(rng)
        if has_account:
            channel, delay = RatingChannel.PORTAL, dt.timedelta(hours=rng.uniform(1, 30))
        elif rng.random() < 0.6:
            channel, delay = RatingChannel.KIOSK, dt.timedelta(minutes=rng.uniform(1, 10))
        else:
            channel, delay = RatingChannel.LINK, dt.timedelta(hours=rng.uniform(0.5, 48))
        at = min(dossier.returned_at + delay, now)
        answers = {
            code: max(1, min(5, overall + rng.choice((-1, 0, 0, 0, 1))))
            for code in rng.sample(questions, k=min(len(questions), rng.randint(0, 4)))
        }
        rating_submit(
            dossier_code=dossier.code,
            stage=Stage.RETURN,
            channel=channel,
            overall=overall,
            answers=answers,
            comment=rng.choice(COMMENTS[overall]),
            user=dossier.applicant_user if channel == RatingChannel.PORTAL else None,
            link_token=link_token(dossier.code, Stage.RETURN)
            if channel == RatingChannel.LINK
            else None,
            lookup_key=dossier.lookup_key if channel == RatingChannel.KIOSK else None,
            at=at,
        )
        made += 1
    return made
