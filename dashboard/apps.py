from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Editors' dashboard"

    def ready(self) -> None:
        from dashboard.permissions import can_view_dashboard
        from factcheck.navigation import register_nav_item

        register_nav_item(
            "dashboard",
            label="Dashboard",
            url_name="dashboard:dashboard",
            order=90,
            visible=can_view_dashboard,
        )
