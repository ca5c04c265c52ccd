from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/template.xlsx", views.template_download, name="template"),
    path("<slug:kind>/upload/", views.upload, name="upload"),
    path("batch/<uuid:public_id>/", views.batch_detail, name="batch"),
]
