from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.utils.translation import gettext_lazy as _

from geo.widgets import LocalMapWidget

from .models import Resource, Review


class ValidatedFilter(admin.SimpleListFilter):
    title = _("validation")
    parameter_name = "validated"

    def lookups(self, request, model_admin):
        return [("yes", _("Validée")), ("no", _("Non validée"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(validated_at__isnull=self.value() == "no")
        return queryset


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    readonly_fields = ["author", "created_at"]


@admin.register(Resource)
class ResourceAdmin(GISModelAdmin):
    """Operators see every resource here, private ones included (superusers only)."""

    gis_widget = LocalMapWidget
    list_display = ["title", "base", "kind", "group", "author", "level", "validated_at"]
    list_filter = ["base", "kind", "group", "level", ValidatedFilter, "source"]
    search_fields = ["title", "summary", "description", "source_id"]
    list_select_related = ["group", "author"]
    autocomplete_fields = ["group", "author", "validated_by", "checked_by"]
    raw_id_fields = ["links", "import_job"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [ReviewInline]
    fieldsets = [
        (None, {"fields": ["title", "base", "kind", "summary", "description", "themes"]}),
        (_("Lieu et dates"), {"fields": ["geom", "date_start", "date_end"]}),
        (_("Attributs du type"), {"fields": ["attributes"]}),
        (
            _("Groupe et partage"),
            {
                "fields": [
                    "group",
                    "author",
                    "level",
                    "validated_by",
                    "validated_at",
                    "checked_by",
                    "checked_at",
                ]
            },
        ),
        (
            _("Provenance"),
            {"fields": ["source", "source_id", "import_job", "links", "created_at", "updated_at"]},
        ),
    ]
