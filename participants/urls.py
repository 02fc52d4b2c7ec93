from django.urls import path

from participants import views

app_name = "participants"
urlpatterns = [
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/roundtables/", views.person_appearances, name="person_appearances"),
]
