from django.urls import path

from villages import views

app_name = "villages"
urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("options/", views.village_options, name="village_options"),
    # The branch register moved to its own app (DESIGN §7): the old address keeps working.
    path("branches/", views.branch_register_redirect, name="branch_register_redirect"),
    path("<division:code>/", views.village_detail, name="village_detail"),
]
