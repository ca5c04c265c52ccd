from django.urls import path, register_converter

from villages.converters import DivisionCodeConverter

from villages import views

register_converter(DivisionCodeConverter, "division")

app_name = "villages"
urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("<division:code>/", views.village_detail, name="village_detail"),
]
