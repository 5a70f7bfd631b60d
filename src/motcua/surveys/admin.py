"""Admin: criteria may be relabelled or switched off; ratings are read-only (they change only
through `rating_submit`, which keeps the history and the audit)."""

from django.contrib import admin

from .models import Rating, RatingAnswer, RatingCriterion, RatingRevision


@admin.register(RatingCriterion)
class RatingCriterionAdmin(admin.ModelAdmin):
    list_display = ("code", "label_vi", "stage", "position", "active", "effective_from")
    list_filter = ("effective_from", "stage", "active")
    readonly_fields = ("code", "effective_from")


class AnswerInline(admin.TabularInline):
    model = RatingAnswer
    extra = 0
    can_delete = False
    readonly_fields = ("criterion", "score")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RevisionInline(admin.TabularInline):
    model = RatingRevision
    extra = 0
    can_delete = False
    readonly_fields = ("number", "channel", "overall", "answers", "comment", "rated_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("dossier", "stage", "overall", "channel", "agency", "created_at", "version")
    list_filter = ("stage", "channel", "overall")
    search_fields = ("dossier__code",)
    inlines = [AnswerInline, RevisionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
