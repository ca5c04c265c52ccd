from django.urls import path

from mediation import views

app_name = "mediation"

urlpatterns = [
    path("", views.index, name="index"),
    path("committees/", views.committee_list, name="committee_list"),
    path("villages/<division:code>/", views.committee, name="committee"),
    path("members/<uuid:public_id>/chair/", views.member_chair, name="member_chair"),
    path("members/<uuid:public_id>/end/", views.member_end, name="member_end"),
    path("disputes/", views.dispute_list, name="dispute_list"),
    path("disputes/new/", views.dispute_new, name="dispute_new"),
    path("disputes/<uuid:public_id>/", views.dispute_detail, name="dispute_detail"),
    path("disputes/<uuid:public_id>/edit/", views.dispute_edit, name="dispute_edit"),
    path("disputes/<uuid:public_id>/close/", views.dispute_close, name="dispute_close"),
    path("disputes/<uuid:public_id>/correct/", views.dispute_correct, name="dispute_correct"),
    path("disputes/<uuid:public_id>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("summary/", views.summary, name="summary"),
]
