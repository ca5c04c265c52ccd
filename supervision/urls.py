from django.urls import path, register_converter

from supervision import views
from villages.converters import DivisionCodeConverter

# villages.urls registers the same converter as "division"; a second name avoids re-registering it.
register_converter(DivisionCodeConverter, "code12")

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.report_new, name="report_new"),
    path("r/<uuid:public_id>/", views.report_detail, name="report_detail"),
    path("r/<uuid:public_id>/edit/", views.report_edit, name="report_edit"),
    path("r/<uuid:public_id>/submit/", views.report_submit, name="report_submit"),
    path("r/<uuid:public_id>/resubmit/", views.report_resubmit, name="report_resubmit"),
    path("r/<uuid:public_id>/approve/", views.report_approve, name="report_approve"),
    path("r/<uuid:public_id>/return/", views.report_return, name="report_return"),
    path("r/<uuid:public_id>/items/", views.item_add, name="item_add"),
    path("r/<uuid:public_id>/items/<uuid:item_id>/close/", views.item_close, name="item_close"),
    path("exceptions/<code12:code>/<str:period_key>/", views.exception_open, name="exception_open"),
    path("grid/", views.grid_default, name="grid_default"),
    path("grid/<code12:code>/<int:year>/<int:month>/", views.grid, name="grid"),
    path("health/<code12:code>/", views.health, name="health"),
    path("completeness/", views.completeness, name="completeness"),
]
