from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.gis.admin import GISModelAdmin

from geo.widgets import LocalMapWidget

from .models import FeedKey, Group, Membership, User

admin.site.site_header = "S-PASS Territoires — administration"
admin.site.site_title = "S-PASS Territoires"
admin.site.index_title = "Administration de la plateforme"


@admin.register(User)
class SpassUserAdmin(UserAdmin):
    pass


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "group"
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "state", "invited_by", "approved_by", "activated_at"]
    readonly_fields = ["invited_by", "approved_by", "activated_at"]


@admin.register(Group)
class GroupAdmin(GISModelAdmin):
    gis_widget = LocalMapWidget
    list_display = ["name", "slug", "family", "join_mode"]
    list_filter = ["family", "join_mode"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "state", "activated_at"]
    list_filter = ["role", "state", "group"]
    search_fields = ["user__username", "group__name"]
    autocomplete_fields = ["user", "group"]


@admin.register(FeedKey)
class FeedKeyAdmin(admin.ModelAdmin):
    list_display = ["user", "label", "created_at", "revoked_at"]
    search_fields = ["user__username", "label"]
    readonly_fields = ["key", "created_at"]
