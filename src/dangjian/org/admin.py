from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from dangjian.org import models


@admin.register(models.Organisation)
class OrganisationAdmin(TreeAdmin):
    form = movenodeform_factory(models.Organisation)
    list_display = ["name", "kind", "category", "code", "dissolved_on"]
    list_filter = ["kind", "category"]
    search_fields = ["name", "code"]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "gender", "category", "party_status", "primary_org"]
    list_filter = ["party_status", "category"]
    search_fields = ["name"]
    raw_id_fields = ["primary_org", "group", "unit"]
    list_select_related = ["primary_org"]


@admin.register(models.Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "title", "starts_on", "ends_on"]
    list_filter = ["title"]
    raw_id_fields = ["person", "organisation"]
    list_select_related = ["person", "organisation"]


class LeadingGroupMemberInline(admin.TabularInline):
    model = models.LeadingGroupMember
    raw_id_fields = ["person"]


@admin.register(models.LeadingGroup)
class LeadingGroupAdmin(admin.ModelAdmin):
    inlines = [LeadingGroupMemberInline]


admin.site.register(models.Term)
admin.site.register(models.StatusChange)
