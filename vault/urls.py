from django.urls import include, path

from vault import views, views_carriers, views_dates, views_list, views_typeahead

app_name = "vault"

urlpatterns = [
    path("", views_list.today, name="today"),
    path("vault/", views_list.request_list, name="list"),
    path("vault/export.csv", views_list.export_csv, name="export_csv"),
    path("vault/requests/new/", views.request_create, name="request_create"),
    path("vault/requests/<int:request_id>/edit/", views.request_edit, name="request_edit"),
    path("vault/requests/<int:request_id>/dates/", views_dates.request_dates, name="request_dates"),
    path("vault/requests/<int:request_id>/row/", views_list.request_row, name="request_row"),
    path("vault/insureds/search/", views_typeahead.insured_search, name="insured_search"),
    path(
        "vault/insureds/new/", views_typeahead.insured_create_inline, name="insured_create_inline"
    ),
    path("vault/carriers/search/", views_typeahead.carrier_search, name="carrier_search"),
    path(
        "vault/carriers/new/", views_typeahead.carrier_create_inline, name="carrier_create_inline"
    ),
    path("vault/carriers/", views_carriers.carrier_list, name="carrier_list"),
    path("vault/carriers/route/", views_carriers.carrier_route_snippet, name="carrier_route"),
    path("vault/carriers/<int:carrier_id>/", views_carriers.carrier_detail, name="carrier_detail"),
    path("", include("vault.urls_documents")),
]
