from django.contrib import admin

from .models import Basemap


@admin.register(Basemap)
class BasemapAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "source_type", "is_default", "enabled"]
    list_filter = ["kind", "source_type", "enabled"]
    prepopulated_fields = {"slug": ["name"]}
