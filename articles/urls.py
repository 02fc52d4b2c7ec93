from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("<slug:slug>/", views.article_detail, name="article_detail"),
]
