from django.apps import AppConfig

from execution2.core.navigation import NavItem


class AssessmentsConfig(AppConfig):
    name = "execution2.assessments"
    label = "assessments"
    verbose_name = "Management assessment"
    # Sidebar entries of this capability, shown to roles at or above min_role.
    navigation: tuple[NavItem, ...] = (
        NavItem(
            "My feedback",
            "assessments:mine",
            icon="survey",
            min_role="member",
            section="main",
            current_for=("assessments:subject",),
        ),
        NavItem(
            "Feedback cycles",
            "assessments:cycles",
            icon="survey",
            min_role="executive",
            section="main",
            current_for=(
                "assessments:cycle",
                "assessments:report",
                "assessments:cycle_import",
            ),
        ),
    )
