"""The organization pages; every one of them goes through `tenancy.org_view`."""

from execution2.orgs.views.access import audit_log, member, members, organization_settings
from execution2.orgs.views.directory import organization_home, people, person
from execution2.orgs.views.jobs import job_detail, job_retry_view
from execution2.orgs.views.organizations import organization_new
from execution2.orgs.views.people_files import people_export, people_import

__all__ = [
    "audit_log",
    "job_detail",
    "job_retry_view",
    "member",
    "members",
    "organization_home",
    "organization_new",
    "organization_settings",
    "people",
    "people_export",
    "people_import",
    "person",
]
