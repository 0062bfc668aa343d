from django.urls import path

from . import views

urlpatterns = [
    path("catalogue/", views.catalog, name="catalog"),
    path("catalogue/new/", views.item_create, name="catalog_item_new"),
    path("catalogue/step-row/", views.step_row, name="catalog_step_row"),
    path("catalogue/categories/", views.category_list, name="catalog_categories"),
    path("catalogue/categories/<int:pk>/edit/", views.category_edit, name="catalog_category_edit"),
    path("catalogue/<int:pk>/", views.item_detail, name="catalog_item"),
    path("catalogue/<int:pk>/edit/", views.item_edit, name="catalog_item_edit"),
    path("catalogue/<int:pk>/deactivate/", views.item_deactivate, name="catalog_item_deactivate"),
    path("catalogue/<int:pk>/reactivate/", views.item_reactivate, name="catalog_item_reactivate"),
]
