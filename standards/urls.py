from django.urls import path

from standards import views

app_name = "standards"

urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_new, name="rule_new"),
    path("rules/<uuid:public_id>/", views.rule_detail, name="rule_detail"),
    path("rules/<uuid:public_id>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<uuid:public_id>/retire/", views.rule_retire, name="rule_retire"),
    path("villages/<division:code>/", views.village_adoptions, name="village"),
    path("adoptions/", views.adoption_list, name="adoption_list"),
    path("adoptions/<uuid:public_id>/", views.adoption_detail, name="adoption_detail"),
    path("adoptions/<uuid:public_id>/edit/", views.adoption_edit, name="adoption_edit"),
    path("adoptions/<uuid:public_id>/evidence/", views.adoption_attach, name="adoption_attach"),
    path(
        "adoptions/<uuid:public_id>/evidence/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("compliance/", views.compliance, name="compliance"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<uuid:public_id>/", views.review_detail, name="review_detail"),
    path("reviews/<uuid:public_id>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<uuid:public_id>/submit/", views.review_submit, name="review_submit"),
    path("reviews/<uuid:public_id>/confirm/", views.review_confirm, name="review_confirm"),
    path("reviews/<uuid:public_id>/return/", views.review_return, name="review_return"),
    path("ranking/", views.ranking, name="ranking"),
]
