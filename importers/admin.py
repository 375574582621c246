from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .interruptions import mark_interrupted
from .models import Harvest, ImportJob
from .web import COUNTERS


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "source",
        "file_name",
        "group",
        "status",
        "dry_run",
        *COUNTERS,
        "removed",
        "started_at",
        "report_link",
    )
    list_filter = ("source", "status", "dry_run", "harvest")
    search_fields = ("file_name", "checksum")
    readonly_fields = [f.name for f in ImportJob._meta.fields] + ["report_link"]

    def has_add_permission(self, request) -> bool:
        return request.user.is_staff

    def changelist_view(self, request, extra_context=None):
        """Jobs whose process is gone show as interrupted, not « en cours » for ever."""
        mark_interrupted()
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        mark_interrupted()
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        """Adding an import means uploading a file: the web import page, run in the background."""
        return redirect("importers:new")

    @admin.display(description=_("rapport"))
    def report_link(self, job: ImportJob) -> str:
        url = reverse("importers:report-csv", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, _("CSV"))


@admin.register(Harvest)
class HarvestAdmin(admin.ModelAdmin):
    """Harvests are added with ``manage.py harvest add`` (rights checked there); here they are
    read, rescheduled or removed."""

    list_display = ("name", "group", "format", "kind", "every", "next_run_at", "url")
    list_filter = ("format", "every", "group")
    search_fields = ("name", "url")
    raw_id_fields = ("group", "profile", "created_by")
    readonly_fields = ("created_by", "created_at")

    def has_add_permission(self, request) -> bool:
        return False
