from django.urls import path

from cadres import membership_views, stationing_views, views

app_name = "cadres"
urlpatterns = [
    path("", views.index, name="index"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/lookup/", views.person_lookup, name="person_lookup"),
    path("people/search/", views.person_search, name="person_search"),
    path("people/<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("people/<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:public_id>/reveal/", views.person_reveal, name="person_reveal"),
    path("reveals/", views.reveal_list, name="reveal_list"),
    path("posts/", views.post_list, name="post_list"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<uuid:public_id>/end/", views.post_end, name="post_end"),
    path("posts/<uuid:public_id>/correct/", views.post_correct, name="post_correct"),
    path("villages/<division:code>/", views.roster, name="roster"),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<uuid:public_id>/correct/", views.evaluation_correct, name="evaluation_correct"),
    path("development/", views.development_list, name="development_list"),
    path("development/new/", views.development_create, name="development_create"),
    path("development/<uuid:public_id>/", views.development_detail, name="development_detail"),
    path("development/<uuid:public_id>/correct/", views.development_correct, name="development_correct"),
    path("development/<uuid:public_id>/<slug:action>/", views.development_action, name="development_action"),
    path("reserves/", views.reserve_list, name="reserve_list"),
    path("reserves/new/", views.reserve_create, name="reserve_create"),
    path("reserves/compliance/", views.compliance, name="compliance"),
    path("reserves/<uuid:public_id>/", views.reserve_detail, name="reserve_detail"),
    path("reserves/<uuid:public_id>/correct/", views.reserve_correct, name="reserve_correct"),
    path("reserves/<uuid:public_id>/<slug:action>/", views.reserve_action, name="reserve_action"),
    # Party members and duty posts ([7/10]): cadres/membership_views.py
    path("members/", membership_views.member_list, name="member_list"),
    path("members/branch/<uuid:public_id>/new/", membership_views.member_register, name="member_register"),
    path("members/<uuid:public_id>/transfer/", membership_views.member_transfer, name="member_transfer"),
    path("members/<uuid:public_id>/leave/", membership_views.member_leave, name="member_leave"),
    path("members/<uuid:public_id>/duty/", membership_views.member_duty, name="member_duty"),
    path("duty-kinds/", membership_views.duty_kind_list, name="duty_kind_list"),
    path("duty-kinds/new/", membership_views.duty_kind_create, name="duty_kind_create"),
    path("duty-kinds/<uuid:public_id>/edit/", membership_views.duty_kind_edit, name="duty_kind_edit"),
    # First secretaries ([9/10]): cadres/stationing_views.py
    path("first-secretaries/", stationing_views.first_secretary_list, name="first_secretary_list"),
    path("first-secretaries/new/", stationing_views.stationing_create, name="stationing_create"),
    path("first-secretaries/<uuid:public_id>/", stationing_views.stationing_detail, name="stationing_detail"),
    path("first-secretaries/<uuid:public_id>/end/", stationing_views.stationing_end, name="stationing_end"),
    path(
        "first-secretaries/<uuid:public_id>/correct/",
        stationing_views.stationing_correct,
        name="stationing_correct",
    ),
]
