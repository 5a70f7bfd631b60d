from django.urls import path

from . import views

app_name = "indices"
urlpatterns = [
    path("", views.ranking_page, name="ranking"),
    path("mat-diem/<str:subject>/", views.subject_page, name="subject"),
    path("<int:assessment_id>/bao-cao.pdf", views.assessment_pdf, name="assessment_pdf"),
    path("mat-diem/<str:subject>.xlsx", views.subject_xlsx, name="subject_xlsx"),
]
