from django.urls import path

from supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.report_new, name="report_new"),
    path("r/<uuid:public_id>/", views.report_detail, name="report_detail"),
    path("r/<uuid:public_id>/edit/", views.report_edit, name="report_edit"),
    path("r/<uuid:public_id>/correct/", views.report_correct, name="report_correct"),
    path("r/<uuid:public_id>/submit/", views.report_submit, name="report_submit"),
    path("r/<uuid:public_id>/resubmit/", views.report_resubmit, name="report_resubmit"),
    path("r/<uuid:public_id>/approve/", views.report_approve, name="report_approve"),
    path("r/<uuid:public_id>/return/", views.report_return, name="report_return"),
    path("r/<uuid:public_id>/items/", views.item_add, name="item_add"),
    path("r/<uuid:public_id>/items/<uuid:item_id>/close/", views.item_close, name="item_close"),
    path("r/<uuid:public_id>/items/<uuid:item_id>/correct/", views.item_correct, name="item_correct"),
    path("exceptions/<division:code>/<str:period_key>/", views.exception_open, name="exception_open"),
    path(
        "exceptions/<division:code>/<str:period_key>/request/",
        views.exception_request,
        name="exception_request",
    ),
    path("grid/", views.grid_default, name="grid_default"),
    path("grid/<division:code>/<int:year>/<int:month>/", views.grid, name="grid"),
    path("health/<division:code>/", views.health, name="health"),
    path("completeness/", views.completeness, name="completeness"),
]
