from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "dangjian.posts"
    verbose_name = "设岗定责与亮岗履职"
