from django.contrib.auth.decorators import login_required
from django.urls import path

from dangjian.core.documents import document_paths
from dangjian.membership import views
from dangjian.membership.views import AWAY, CONTACTS, TRANSFERS

app_name = "membership"
urlpatterns = [
    *AWAY.urls(),
    *CONTACTS.urls(),
    path("transfer/", views.transfer_list, name="transfer_list"),
    path("transfer/export.xlsx", login_required(TRANSFERS.export_view), name="transfer_export"),
    path("transfer/new/", views.TransferSend.as_view(), name="transfer_create"),
    path("transfer/out/", views.TransferOut.as_view(), name="transfer_out"),
    path("transfer/in/", views.TransferIn.as_view(), name="transfer_in"),
    path("transfer/branches/", views.pick_branches, name="pick_branches"),
    path("transfer/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfer/<int:pk>/receive/", views.TransferReceive.as_view(), name="transfer_receive"),
    path("transfer/<int:pk>/approve/", views.TransferApprove.as_view(), name="transfer_approve"),
    path("transfer/<int:pk>/reject/", views.TransferReject.as_view(), name="transfer_reject"),
    path("transfer/<int:pk>/cancel/", views.TransferCancel.as_view(), name="transfer_cancel"),
    path("transfer/<int:pk>/slip/", views.TransferSlip.as_view(), name="transfer_slip"),
    *document_paths("transfer/<int:pk>/letter/", views.transfer_print, "transfer_print"),
    path("transfer/batch/new/", views.batch_create, name="batch_create"),
    path("transfer/batch/<int:pk>/", views.batch_detail, name="batch_detail"),
    *document_paths("transfer/batch/<int:pk>/letters/", views.batch_print, "batch_print"),
]
