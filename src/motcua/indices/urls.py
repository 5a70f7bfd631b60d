from django.urls import path

from . import views

app_name = "indices"
urlpatterns = [
    path("", views.ranking_page, name="ranking"),
    path("xep-hang.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
    path("phuc-vu/", views.service_index_page, name="service"),
    path("gia-dinh/", views.what_if_page, name="what_if"),
    path("ben-ngoai/<str:index>.xlsx", views.external_xlsx, name="external_xlsx"),
    path("ben-ngoai/<str:index>/", views.external_page, name="external"),
    path("mat-diem/<str:subject>/", views.subject_page, name="subject"),
    path("<int:assessment_id>/bao-cao.pdf", views.assessment_pdf, name="assessment_pdf"),
    path("<int:assessment_id>/cay-diem/", views.score_tree_page, name="score_tree"),
    path("bang-chung/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("diem/<int:score_id>/bang-chung/", views.evidence_upload, name="evidence_upload"),
    path("mat-diem/<str:subject>.xlsx", views.subject_xlsx, name="subject_xlsx"),
]
