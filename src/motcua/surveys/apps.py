from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "motcua.surveys"
    label = "surveys"
