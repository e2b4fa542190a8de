from django.apps import AppConfig

from execution2.core.navigation import NavItem


class PlansConfig(AppConfig):
    name = "execution2.plans"
    label = "plans"
    verbose_name = "Strategic plan and execution"
    # Sidebar entries of this capability, shown to roles at or above min_role.
    navigation: tuple[NavItem, ...] = (
        NavItem(
            "My work",
            "plans:my_work",
            icon="dot",
            min_role="member",
            section="main",
            current_for=("plans:assignment",),
        ),
        NavItem(
            "Plan",
            "plans:tree",
            icon="plan",
            min_role="member",
            section="main",
            current_for=(
                "plans:initiative",
                "plans:initiative_assignments",
                "plans:assignment_new",
            ),
        ),
        NavItem("Ideas", "plans:ideas", icon="dot", min_role="member", current_for=("plans:idea",)),
        NavItem(
            "Delegation",
            "plans:delegation",
            icon="members",
            min_role="manager",
            current_for=("plans:delegation_person",),
        ),
        NavItem("Portfolio", "plans:portfolio", icon="index", min_role="executive"),
        NavItem(
            "Plan file",
            "plans:file",
            icon="import",
            min_role="admin",
            section="admin",
            current_for=("plans:versions",),
        ),
    )
