from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "dangjian.org"
    verbose_name = "组织与人员"

    def ready(self):
        from dangjian.core.records import set_org_picker
        from dangjian.core.scoping import set_scope_resolver
        from dangjian.org import audit, counts, scoping, widgets

        set_scope_resolver(scoping.scope_of_positions)
        set_org_picker(widgets.org_picker)
        audit.connect()
        counts.connect()
