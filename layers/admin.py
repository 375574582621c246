from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.utils.translation import gettext_lazy as _

from geo.widgets import LocalMapWidget

from .models import Layer, Map, MapLayer


@admin.register(Layer)
class LayerAdmin(admin.ModelAdmin):
    list_display = ["name", "base", "style", "cql_filter"]
    list_filter = ["base", "style"]
    search_fields = ["name", "cql_filter"]
    readonly_fields = ["cql_filter"]
    fieldsets = [
        (None, {"fields": ["name", "base"]}),
        (
            _("Filtre"),
            {
                "fields": [
                    "kinds",
                    "groups",
                    "date_from",
                    "date_to",
                    "territory",
                    "text",
                    "advanced_filter",
                    "cql_filter",
                ]
            },
        ),
        (_("Style"), {"fields": ["style", "color", "category_property"]}),
    ]


class MapLayerInline(admin.TabularInline):
    model = MapLayer
    extra = 1
    autocomplete_fields = ["layer"]


@admin.register(Map)
class MapAdmin(GISModelAdmin):
    """Operators see every map here, private ones included (superusers only)."""

    gis_widget = LocalMapWidget
    list_display = ["title", "slug", "group", "author", "level", "validated_at"]
    list_filter = ["level", "group"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["group", "author", "validated_by"]
    # the form's order of before the shared fields came from workgroups.models.Shared
    fields = [
        "title",
        "slug",
        "description",
        "group",
        "author",
        "level",
        "validated_by",
        "validated_at",
        "basemap",
        "center",
        "zoom",
    ]
    inlines = [MapLayerInline]
