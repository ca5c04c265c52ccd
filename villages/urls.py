from django.urls import path, register_converter

from villages import views
from villages.converters import DivisionCodeConverter

register_converter(DivisionCodeConverter, "division")

app_name = "villages"
urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("<division:code>/", views.village_detail, name="village_detail"),
]
