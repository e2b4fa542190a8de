"""The web fixtures (signed-in clients, the small organization) for the network pages."""

from tests.web.conftest import (  # noqa: F401
    _fast_and_fresh,
    acme,
    admin_client,
    member_client,
    sign_in,
)
