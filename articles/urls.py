from django.urls import path

from articles import preview, views

app_name = "articles"
urlpatterns = [
    path("preview/<int:pk>/", preview.article_preview, name="article_preview"),
    path("<slug:slug>/", views.article_detail, name="article_detail"),
]
