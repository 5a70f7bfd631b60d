from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def rating_invitation(dossier) -> str:  # a motcua.dossiers Dossier
    """The sentence the return notice ends with: a signed rating link, valid 30 days."""
    from .access import link_url

    return f"Mời ông/bà đánh giá mức độ hài lòng: {link_url(dossier.code, 'return')}"


class SurveysConfig(AppConfig):
    name = "motcua.surveys"
    label = "surveys"
    verbose_name = _("Ratings and surveys")

    def ready(self) -> None:
        # The lifecycle does not know about ratings: the ratings app adds its link to the notice.
        from motcua.dossiers.notify import register_notice_part

        register_notice_part("return", rating_invitation)
