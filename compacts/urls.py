from django.urls import path

from compacts import views

app_name = "compacts"

urlpatterns = [
    path("", views.village_list, name="index"),
    path("villages/<division:code>/", views.village_versions, name="village"),
    path("villages/<division:code>/new/", views.version_new, name="version_new"),
    path("versions/<uuid:public_id>/", views.version_detail, name="version_detail"),
    path("versions/<uuid:public_id>/correct/", views.version_correct, name="version_correct"),
    path("versions/<uuid:public_id>/attachments/", views.version_attach, name="version_attach"),
    path(
        "versions/<uuid:public_id>/attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
