"""The demo company's logins, one per role, and the table ``propdesk serve`` prints of them.

``serve`` lives in the kernel and imports no app: ``DemoConfig.ready()`` registers
``database_is_empty`` and ``print_logins`` with it (``core.startup.register_demo``)."""

import unicodedata

from django.contrib.auth.hashers import check_password
from django.utils.translation import gettext as _

from propdesk.core.phones import display_phone
from propdesk.org.models import OFFICE_ROLES, Office, Role, User
from propdesk.portal.models import PortalAccount

DEMO_PASSWORD = "propdesk-demo"
COMPANY = "company"
DEMO_OFFICE = "翠苑花园管理处"

# Who logs in as which role: the demo builder creates exactly these users.
DEMO_USERNAMES = {
    Role.AGENT: "agent",
    Role.TECHNICIAN: "technician",
    Role.DIRECTOR: "director",
    Role.FOLLOWUP: "followup",
    Role.QUALITY: "quality",
    Role.LEADERSHIP: "leader",
    Role.ADMIN: "admin",
}

# (username, role label, office name or "company")
DEMO_LOGINS = [
    (username, role.label, DEMO_OFFICE if role in OFFICE_ROLES else COMPANY)
    for role, username in DEMO_USERNAMES.items()
]


def database_is_empty() -> bool:
    """No management office yet: the demo company may be loaded (``propdesk demo`` refuses to
    load it beside real data)."""
    return not Office.objects.exists()


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _rows() -> list[tuple[str, str, str]]:
    """The demo logins that work now: the user exists, is active and still has the demo password."""
    names = [username for username, _role, _office in DEMO_LOGINS]
    users = {
        u.username: u
        for u in User.objects.filter(username__in=names, is_active=True).select_related("office")
    }
    # The demo gives every login the same hash, so one (slow) check usually covers them all.
    verdicts: dict[str, bool] = {}
    rows = []
    for username in names:
        user = users.get(username)
        if user is None:
            continue
        if user.password not in verdicts:
            verdicts[user.password] = check_password(DEMO_PASSWORD, user.password)
        if not verdicts[user.password]:
            continue
        office = user.office.name if user.office_id else _("company")
        rows.append((username, str(user.get_role_display()), office))
    return rows


def _portal_login() -> str | None:
    """The demo resident's mobile number, while it still signs in with the demo password."""
    account = (
        PortalAccount.objects.filter(customer__office__name=DEMO_OFFICE, is_active=True)
        .order_by("pk")
        .first()
    )
    if account is None or not check_password(DEMO_PASSWORD, account.password):
        return None
    return display_phone(account.phone)


def print_logins(stdout) -> None:
    """Print a table of the demo logins that exist; nothing when there are none."""
    rows = _rows()
    if not rows:
        return
    header = (_("username"), _("role"), _("office"))
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(2)]
    lines = [_("Demo logins (password: %(password)s)") % {"password": DEMO_PASSWORD}]
    for row in [header, *rows]:
        lines.append(f"  {_pad(row[0], widths[0])}  {_pad(row[1], widths[1])}  {row[2]}")
    resident = _portal_login()
    if resident:
        lines.append(
            _("Resident portal /portal/: mobile %(phone)s, the same password") % {"phone": resident}
        )
    for line in lines:
        stdout.write(line + "\n")
