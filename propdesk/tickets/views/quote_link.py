"""The customer's one-time quote link, opened without signing in."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from propdesk.core.errors import DomainError

from .. import selectors, services
from ..models import Quote


# The link is the customer's key to their quote (their name, address and charges): no cache
# between them and us may keep the page for the next person.
@never_cache
def quote_public(request, token):
    now = timezone.now()
    quote = selectors.quote_by_token(token)
    if quote is None:
        return render(request, "tickets/quote_public.html", {"state": "unknown"}, status=404)
    context = {"quote": quote, "ticket": quote.ticket, "lines": list(quote.lines.all())}
    if request.method == "POST":
        choice = request.POST.get("answer")
        if choice not in ("accept", "reject"):
            context.update(state="open", error=_("Choose accept or reject."))
            return render(request, "tickets/quote_public.html", context, status=400)
        try:
            quote = services.quote_answer_by_link(token=token, accepted=choice == "accept", now=now)
        except DomainError as err:
            quote.refresh_from_db()
            context["error"] = err.message
            status = 410 if err.code == "quote_expired" else err.status
            context["state"] = "expired" if status == 410 else "answered"
            return render(request, "tickets/quote_public.html", context, status=status)
        context.update(quote=quote, state="thanks")
        return render(request, "tickets/quote_public.html", context)
    if quote.state != Quote.State.SENT:
        context["state"] = "answered"
        return render(request, "tickets/quote_public.html", context, status=409)
    if quote.is_expired(now):
        context["state"] = "expired"
        return render(request, "tickets/quote_public.html", context, status=410)
    return render(request, "tickets/quote_public.html", {**context, "state": "open"})
