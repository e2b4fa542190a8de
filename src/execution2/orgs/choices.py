from django.db import models


class Role(models.TextChoices):
    """A user's role in one organization; each role can do what the ones below it can."""

    ADMIN = "admin", "Admin"
    EXECUTIVE = "executive", "Executive"
    MANAGER = "manager", "Manager"
    MEMBER = "member", "Member"


ROLE_RANK = {Role.MEMBER: 0, Role.MANAGER: 1, Role.EXECUTIVE: 2, Role.ADMIN: 3}


def role_at_least(role: str, minimum: str) -> bool:
    return ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]


class AuditAction(models.TextChoices):
    ORGANIZATION_CREATE = "organization.create", "Organization created"
    PEOPLE_IMPORT = "people.import", "People imported"
    PEOPLE_EXPORT = "people.export", "People exported"
    MEMBERSHIP_ADD = "membership.add", "Member added"
    MEMBERSHIP_ROLE = "membership.role", "Role changed"
    MEMBERSHIP_REMOVE = "membership.remove", "Member removed"
    SETTINGS_CHANGE = "settings.change", "Settings changed"
    REPORT_EXPORT = "report.export", "Report or table exported"
    OUTCOME_RECORD = "outcome.record", "Outcome recorded"
    # Accounts and sign-in (execution2.accounts); recorded in each organization of the user.
    SIGNIN = "account.signin", "Signed in"
    SIGNIN_FAILED = "account.signin_failed", "Sign-in refused"
    SIGNOUT_EVERYWHERE = "account.signout_all", "Signed out everywhere"
    PASSWORD_RESET = "account.password_reset", "Password reset"
    MFA_ENABLE = "account.mfa_enable", "Two-step sign-in turned on"
    MFA_DISABLE = "account.mfa_disable", "Two-step sign-in turned off"
    RECOVERY_CODES = "account.recovery_codes", "Recovery codes made"
    SECURITY_CHANGE = "security.change", "Sign-in rules changed"
    SSO_CHANGE = "sso.change", "Single sign-on changed"
    SCIM_TOKEN = "scim.token", "Provisioning token made"
