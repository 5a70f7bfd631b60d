"""Petitions (phản ánh, kiến nghị), their categories (the Open311 services), answers, ratings
and the Open311 clients allowed to post them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from motcua.common.ratings import HIGHEST, LOWEST

COMMUNE = "commune"  # Category.responsible: the commune committee of the place


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


class Category(models.Model):
    """A kind of petition and who answers it; published as an Open311 service.

    Loaded from `data/categories.json` by a data migration, then edited in the admin.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    group_vi = models.CharField(_("group (Vietnamese)"), max_length=100, blank=True)
    group_en = models.CharField(_("group (English)"), max_length=100, blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    responsible = models.CharField(
        _("responsible"),
        max_length=32,
        help_text=_(
            '"commune": the People\'s Committee of the ward or commune of the place; '
            "otherwise the code of the agency that answers."
        ),
    )
    fallback_agency_code = models.CharField(
        _("fallback agency"),
        max_length=32,
        blank=True,
        help_text=_("Answers a commune-level petition whose ward is not known."),
    )
    # 15: the handling deadline the national portal scores petitions against.
    working_days = models.PositiveSmallIntegerField(_("answer within (working days)"), default=15)
    attributes = models.JSONField(
        _("attributes"),
        default=list,
        blank=True,
        help_text=_("Open311 attribute definitions asked for when the petition is sent."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("petition category")
        verbose_name_plural = _("petition categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"

    def clean(self) -> None:
        from .categories import check_attribute_definitions

        try:
            check_attribute_definitions(self.attributes)
        except ValidationError as exc:
            raise ValidationError({"attributes": exc.messages}) from exc

    @property
    def name(self) -> str:
        return self.name_en if _english() and self.name_en else self.name_vi

    @property
    def description(self) -> str:
        return self.description_en if _english() and self.description_en else self.description_vi

    @property
    def group(self) -> str:
        return self.group_en if _english() and self.group_en else self.group_vi

    @property
    def has_metadata(self) -> bool:
        return bool(self.attributes)


class ApiClient(models.Model):
    """An application allowed to post petitions through Open311; only a hash of its key is kept."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    prefix = models.CharField(_("key prefix"), max_length=12, blank=True)
    key_hash = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("key hash")
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    key_issued_at = models.DateTimeField(_("key issued at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class State(models.TextChoices):
    RECEIVED = "received", _("Received, waiting for an answer")
    FORWARDED = "forwarded", _("Forwarded to another agency")
    ANSWERED = "answered", _("Answered")
    DUPLICATE = "duplicate", _("Duplicate of another petition")
    HIDDEN = "hidden", _("Closed as abusive")


OPEN_STATES = (State.RECEIVED, State.FORWARDED)
CLOSED_STATES = (State.ANSWERED, State.DUPLICATE, State.HIDDEN)


class Moderation(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held for moderation")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    OPEN311 = "open311", _("Open311 client")


class Petition(models.Model):
    """One petition or complaint: where, what, who may be told, and who must answer by when.

    The sender's contact details are for the agency only: no public page, feed or answer
    shows them (see `privacy`).
    """

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="petitions", verbose_name=_("category")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RECEIVED
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    api_client = models.ForeignKey(
        ApiClient,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("api client"),
    )
    token = models.CharField(max_length=32, unique=True, verbose_name=_("token"))
    description = models.TextField(_("description"))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    long = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    ward = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ward or commune"),
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    due_at = models.DateTimeField(_("answer due"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    service_notice = models.TextField(blank=True, verbose_name=_("service notice"))
    external_media_url = models.URLField(
        max_length=500, blank=True, verbose_name=_("external media url")
    )

    sender_name = models.CharField(_("sender's name"), max_length=150, blank=True)
    sender_phone = models.CharField(_("sender's phone"), max_length=20, blank=True)
    sender_email = models.EmailField(_("sender's email"), blank=True)
    sender_id_number = models.CharField(_("sender's ID number"), max_length=12, blank=True)
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
        verbose_name=_("sender user"),
    )

    # A petition whose text seems to hold personal data waits for a moderator before any
    # public page or feed shows it (masking is a safety net, not a guarantee).
    moderation = models.CharField(
        _("moderation"),
        max_length=16,
        choices=Moderation.choices,
        default=Moderation.PUBLISHED,
        db_index=True,
    )
    moderation_reasons = models.JSONField(_("why it was held"), default=list, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("released by"),
    )

    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True, verbose_name=_("hidden at"))
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["category", "state", "received_at"]),
            models.Index(fields=["agency", "state", "due_at"]),
            models.Index(fields=["agency", "closed_at"]),
            models.Index(fields=["lat", "long"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, long__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, long__gte=-180, long__lte=180),
                name="petition_lat_long_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category.code}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_held(self) -> bool:
        return self.moderation == Moderation.HELD

    @property
    def is_anonymous(self) -> bool:
        return not (self.sender_user_id or self.sender_phone or self.sender_email)

    @property
    def open311_status(self) -> str:
        return "open" if self.is_open else "closed"


def photo_path(instance: Photo, filename: str) -> str:
    return f"feedback/{instance.petition_id}/{filename}"


class Photo(models.Model):
    """A JPEG or PNG attached to a petition, checked by content and stripped of location data."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.petition_id}/{self.pk}"


class AttributeValue(models.Model):
    """The answer to one of the category's Open311 attributes (one row per chosen value)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(max_length=64)
    value = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code}={self.value[:40]}"


class Answer(models.Model):
    """The agency's published answer; it closes the petition."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="answer")
    text = models.TextField(_("answer"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), db_index=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"answer to #{self.petition_id}"


class AnswerRating(models.Model):
    """How satisfied the sender is with the answer, on the shared scale of `common.ratings`
    (1 very dissatisfied … 5 very satisfied)."""

    class Via(models.TextChoices):
        LINK = "link", _("Signed link")
        ACCOUNT = "account", _("Account")

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    via = models.CharField(max_length=16, choices=Via.choices)
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("answer rating")
        verbose_name_plural = _("answer ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=LOWEST, score__lte=HIGHEST), name="answer_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.score}/5"
