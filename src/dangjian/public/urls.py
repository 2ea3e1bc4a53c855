from django.urls import path

from dangjian.public import views

app_name = "public"

urlpatterns = [
    # Public, no login.
    path("", views.board_index, name="board_index"),
    path("o/<str:code>/", views.board, name="board"),
    path("o/<str:code>/suggest/", views.suggest, name="suggest"),
    path("o/<str:code>/suggest/done/", views.suggest_done, name="suggest_done"),
    path("posts/<int:pk>/nameplate/", views.nameplate, name="nameplate"),
    path("track/", views.track, name="track"),
    path("column/", views.column_index, name="column_index"),
    path("column/<int:pk>/", views.column_article, name="column_article"),
    path("column/files/<str:kind>/<int:pk>/", views.column_file, name="column_file"),
    # Officers.
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/export/", views.suggestion_export, name="suggestion_export"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/classify/", views.suggestion_classify, name="suggestion_classify"),
    path("suggestions/<int:pk>/assign/", views.suggestion_assign, name="suggestion_assign"),
    path("suggestions/<int:pk>/reply/", views.suggestion_reply, name="suggestion_reply"),
    path("suggestions/<int:pk>/close/", views.suggestion_close, name="suggestion_close"),
    path(
        "suggestions/<int:pk>/to-opinion/",
        views.suggestion_to_opinion,
        name="suggestion_to_opinion",
    ),
]
