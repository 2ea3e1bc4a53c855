from dangjian.membership.views import AWAY

app_name = "membership"
urlpatterns = AWAY.urls()
