from django.urls import path

from villages import views

app_name = "villages"
urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("options/", views.village_options, name="village_options"),
    path("<division:code>/", views.village_detail, name="village_detail"),
]
