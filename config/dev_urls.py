"""Embedded/demo mode only: read the captured e-mail in the browser."""

from django.urls import path

from config import outbox

urlpatterns = [
    path("outbox/", outbox.outbox_list, name="dev_outbox"),
    path("outbox/<str:name>", outbox.outbox_message, name="dev_outbox_message"),
]
