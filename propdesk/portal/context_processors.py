from propdesk.core.inbox import unread_count


def portal(request) -> dict:
    """The unread count for the portal's header; only on pages of a signed-in customer."""
    account = getattr(request, "portal_account", None)
    if account is None:
        return {}
    return {"portal_unread": unread_count(customer=account.customer)}
