"""Writing notifications: the outbox side.

``notify`` is called by a service inside its transaction. It renders the message in the
recipient's language and writes one outbox row per channel; when the transaction commits, a
delivery run is scheduled. If the transaction rolls back, no message was ever written.

Apps keep their own message templates (a subject and a body, translatable, with ``%(name)s``
placeholders) and pass them in, so the kernel knows nothing of requests or complaints.
"""

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification

Channel = Notification.Channel
_muted = ContextVar("propdesk_notifications_muted", default=False)
# The address (scheme and host) of the web request being served, for links in its messages.
_site = ContextVar("propdesk_site_address", default="")
# Neither SITE_URL nor a web request: where ``propdesk serve`` listens by default.
LOCAL_ADDRESS = "http://127.0.0.1:8000"


class SiteAddressMiddleware:
    """Remembers the address the person used (``https://host``) while their request is served,
    so the messages it writes link back to the site they were on (``site_url``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _site.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _site.reset(token)


def site_url(path: str) -> str:
    """``path`` made absolute: on ``SITE_URL`` when it is set, else on the address of the web
    request being served, else on the local default. An absolute URL is returned as it is."""
    if not path.startswith("/"):
        return path
    base = settings.SITE_URL or _site.get() or LOCAL_ADDRESS
    return f"{base.rstrip('/')}{path}"


def _with_absolute_link(context: dict) -> dict:
    """A message's text is read outside the site (SMS, e-mail): a ``%(link)s`` given as a path
    becomes absolute. The in-app ``link`` stays a path, good on any address the site has."""
    link = context.get("link")
    if isinstance(link, str) and link.startswith("/"):
        return {**context, "link": site_url(link)}
    return context


@contextmanager
def muted():
    """Write no notifications inside this block: for replaying history (the demo company), which
    must not announce last year's requests to anyone."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    """Inside ``muted()``: a caller may leave before gathering what a message would say."""
    return _muted.get()


def _language(user=None, customer=None) -> str:
    chosen = getattr(user, "language", "") or getattr(customer, "language", "")
    return chosen or settings.LANGUAGE_CODE


def default_channels(*, user=None, customer=None) -> list[str]:
    """Staff: in-app, and e-mail when they have an address. Customers: in-app (their portal
    inbox), plus SMS and e-mail as they chose."""
    if user is not None:
        return [Channel.IN_APP, *([Channel.EMAIL] if user.email else [])]
    return [
        Channel.IN_APP,
        *([Channel.SMS] if customer.notify_by_sms else []),
        *([Channel.EMAIL] if customer.notify_by_email else []),
    ]


def _address(channel: str, *, user=None, customer=None) -> str:
    if channel == Channel.EMAIL:
        return (user or customer).email or ""
    if channel == Channel.SMS:
        if customer is not None:
            phone = customer.phones.order_by("-is_primary", "pk").first()
            return phone.number if phone else ""
        return getattr(user, "phone", "") or ""
    return ""


def _sms_numbers(customers) -> dict[int, str]:
    """Each customer's SMS number by pk, the primary one as ``_address`` chooses, in one query.

    The phones' table is the one behind the customers' own ``phones`` relation, as in
    ``_address``: the kernel imports no app."""
    if not customers:
        return {}
    phone_model = customers[0].phones.model
    rows = (
        phone_model.objects.filter(customer__in=[c.pk for c in customers])
        .order_by("customer_id", "-is_primary", "pk")
        .values_list("customer_id", "number")
    )
    numbers: dict[int, str] = {}
    for customer_id, number in rows:
        numbers.setdefault(customer_id, number)  # the primary one, as ``notify`` chooses
    return numbers


def notify(
    *,
    event: str,
    subject,
    body,
    context: dict | None = None,
    user=None,
    customer=None,
    channels: list[str] | None = None,
    urgent: bool = False,
    lane: str | None = None,
    link: str = "",
    dedupe_key: str | None = None,
    unseen: bool = False,
    now: dt.datetime | None = None,
) -> list[Notification]:
    """Write the message for one recipient (``user`` or ``customer``) on each channel.

    A channel without an address (no phone for SMS, no e-mail) is skipped. With ``dedupe_key``,
    the same cause never writes the same message twice. Returns the rows written, in one query
    (two with a key, unless the caller knows the key ``unseen``: its cause was created in this
    very transaction, so nothing can have been written for it yet). ``urgent`` sends it over the quiet hours
    and in the urgent lane; ``lane="urgent"`` only the latter (see ``core.delivery``)."""
    if (user is None) == (customer is None):
        raise ValueError("notify() needs exactly one of user or customer")
    if _muted.get():
        return []
    now = now or timezone.now()
    context = _with_absolute_link(context or {})
    language = _language(user, customer)
    with translation.override(language):
        subject_text = str(subject) % context
        body_text = str(body) % context
    planned = []
    for channel in channels or default_channels(user=user, customer=customer):
        address = _address(channel, user=user, customer=customer)
        if channel != Channel.IN_APP and not address:
            continue
        planned.append(
            _message(
                event=event,
                channel=channel,
                address=address,
                language=language,
                text=(subject_text, body_text),
                link=link,
                urgent=urgent,
                lane=_lane(urgent, lane),
                now=now,
                key=f"{dedupe_key}:{channel}" if dedupe_key else None,
                user=user,
                customer=customer,
            )
        )
    if dedupe_key and planned and not unseen:
        done = set(
            Notification.objects.filter(
                dedupe_key__in=[row.dedupe_key for row in planned]
            ).values_list("dedupe_key", flat=True)
        )
        planned = [row for row in planned if row.dedupe_key not in done]
    # Every channel in one insert. With a key, one that raced in from another transaction
    # meanwhile is skipped by the database, so it is written once (rows so written carry no id).
    written = Notification.objects.bulk_create(planned, ignore_conflicts=bool(dedupe_key))
    if any(r.state == Notification.State.PENDING for r in written):
        _deliver_after_commit({_lane(urgent, lane)})
    return written


def _message(
    *,
    event,
    channel,
    address,
    language,
    text,
    link,
    urgent,
    now,
    key,
    lane=Notification.Lane.BULK,
    user=None,
    customer=None,
) -> Notification:
    """One unsaved message on one channel; ``text`` is its rendered subject and body."""
    subject_text, body_text = text
    in_app = channel == Channel.IN_APP
    return Notification(
        event=event,
        channel=channel,
        user=user,
        customer=customer,
        address=address,
        language=language,
        subject=subject_text[:200],
        body=body_text,
        link=link,
        urgent=urgent,
        lane=lane,
        next_attempt_at=now,
        dedupe_key=key,
        # In-app messages are delivered by being written: they are the inbox.
        state=Notification.State.SENT if in_app else Notification.State.PENDING,
        sent_at=now if in_app else None,
    )


def notify_many(
    *,
    event: str,
    subject,
    body,
    dedupe_key: str,
    customers=(),
    users=(),
    context: dict | None = None,
    urgent: bool = False,
    lane: str | None = None,
    link: str = "",
    unseen: bool = False,
    now: dt.datetime | None = None,
) -> int:
    """``notify`` for many customers (or many staff, ``users``) at once: the same message, on
    each recipient's own channels.

    Renders the message once per language and writes the rows with one bulk insert, in place of
    a few queries per recipient. Each customer's key is ``{dedupe_key}:{customer pk}:{channel}``:
    a customer already written to is skipped, so a run broken off halfway may simply run again.
    Callers give customers a chunk at a time (a thousand, say). Returns the number of rows written.
    A member of staff's key is ``{dedupe_key}:user:{user pk}:{channel}``. ``unseen``: as
    ``notify``'s.
    """
    if _muted.get():
        return 0
    now = now or timezone.now()
    context = _with_absolute_link(context or {})
    customers, users = list(customers), list(users)
    if not customers and not users:
        return 0
    rendered: dict[str, tuple[str, str]] = {}
    phones = _sms_numbers([c for c in customers if c.notify_by_sms])

    def text(language: str) -> tuple[str, str]:
        if language not in rendered:
            with translation.override(language):
                rendered[language] = (str(subject) % context, str(body) % context)
        return rendered[language]

    def row(channel, address, key, **recipient) -> Notification:
        language = _language(**recipient)
        return _message(
            event=event,
            channel=channel,
            address=address,
            language=language,
            text=text(language),
            link=link,
            urgent=urgent,
            lane=_lane(urgent, lane),
            now=now,
            key=key,
            **recipient,
        )

    planned = []
    for customer in customers:
        for channel in default_channels(customer=customer):
            address = {Channel.SMS: phones.get(customer.pk, ""), Channel.EMAIL: customer.email}
            address = address.get(channel, "") or ""
            if channel != Channel.IN_APP and not address:
                continue
            key = f"{dedupe_key}:{customer.pk}:{channel}"
            planned.append(row(channel, address, key, customer=customer))
    for user in users:
        for channel in default_channels(user=user):
            address = "" if channel == Channel.IN_APP else _address(channel, user=user)
            key = f"{dedupe_key}:user:{user.pk}:{channel}"
            planned.append(row(channel, address, key, user=user))
    done = (
        set()
        if unseen
        else set(
            Notification.objects.filter(
                dedupe_key__in=[row.dedupe_key for row in planned]
            ).values_list("dedupe_key", flat=True)
        )
    )
    new = [row for row in planned if row.dedupe_key not in done]
    # A key that raced in from another run meanwhile is skipped by the database.
    Notification.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    if any(row.state == Notification.State.PENDING for row in new):
        _deliver_after_commit({_lane(urgent, lane)})
    return len(new)


def _deliver_after_commit(lanes) -> None:
    """One delivery run per lane and transaction, however many messages it wrote: a run sends
    them all. The lanes wait on the connection until the transaction commits."""
    connection = transaction.get_connection()
    waiting = connection.__dict__.setdefault("propdesk_delivery_lanes", set())
    waiting.update(lanes)
    if connection.in_atomic_block and any(
        entry[1] is _schedule_delivery for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_schedule_delivery)


def _schedule_delivery() -> None:
    """After commit: queue a delivery run for each lane written to (``delivery.kick``, which
    never raises: a broker that is down leaves the messages to the sweeper)."""
    from .delivery import LANES, kick

    connection = transaction.get_connection()
    waiting = connection.__dict__.pop("propdesk_delivery_lanes", None) or set(LANES)
    for lane in LANES:  # the urgent lane first
        if lane in waiting:
            kick(lane)


def _lane(urgent: bool, lane: str | None) -> str:
    """Urgent messages (not held over the quiet hours) go in the urgent lane; others where the
    caller says (a request's own updates are urgent too), else in bulk."""
    return Notification.Lane.URGENT if urgent else (lane or Notification.Lane.BULK)
