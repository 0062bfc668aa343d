"""Staff sign-in pages (password, then the authenticator's code for those who enrolled one),
setting up the authenticator app, and the administrator's list of locked sign-ins."""

import base64
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.permissions import allowed

from . import pickers, selectors, services, signin
from .forms import CodeForm, SignInForm
from .models import Role, User

PENDING = "signin_pending"  # the session's note of a password accepted, waiting for its code
PENDING_FOR = 300  # seconds to enter the code after the password


class SignInView(LoginView):
    """The password step. Each address may try only so often; a locked username, or an address
    that tried too often, gets the page back as a 429 with the reason on it."""

    form_class = SignInForm

    def post(self, request, *args, **kwargs):
        if not signin.SignInRateThrottle().allow_request(request, self):
            form = self.form_class(request, initial={"username": request.POST.get("username")})
            context = self.get_context_data(form=form, refusal=signin.TOO_OFTEN)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=form.status)

    def form_valid(self, form):
        user = form.get_user()
        if signin.authenticator(user) is None:
            return super().form_valid(form)
        # The code is asked on a page of its own; only a note that the password was right
        # waits in the session, tied to this password and for a few minutes.
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "hash": user.get_session_auth_hash(),
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("login-code")


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_FOR:
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending["hash"]:
        return None, None
    return user, pending


def sign_in_code(request):
    """The second step: the code from the authenticator app of the user whose password was
    just accepted. A wrong code counts as a wrong try, towards the same lock."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.info(request, _("Sign in again: the time to enter the code ran out."))
        return redirect(settings.LOGIN_URL)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            signin.check_code(request, user=user, code=form.cleaned_data["code"])
        except DomainError as err:
            status = show_error(form, err)
            if err.status == 429:
                request.session.pop(PENDING, None)
        else:
            request.session.pop(PENDING, None)
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
    elif request.method == "POST":
        status = 400
    return render(request, "org/sign_in_code.html", {"form": form}, status=status)


# --- the authenticator app ------------------------------------------------------------------------


def _qr_svg(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI, drawn by ReportLab (already used for the PDFs)."""
    from reportlab.graphics import renderSVG
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    size = 220
    widget = QrCodeWidget(text, barWidth=size, barHeight=size)
    drawing = Drawing(size, size)
    drawing.add(widget)
    svg = renderSVG.drawToString(drawing)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def totp(request):
    """Set up the authenticator app (company roles): a secret, shown as a QR code and as text,
    put in force by the first right code."""
    user = request.user
    if not user.is_company_role:
        raise PermissionDenied  # authenticator apps are for company roles
    device = signin.authenticator(user)
    form = CodeForm(request.POST or None)
    status = 200
    if device is None:
        pending = services.totp_begin(user=user)
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    services.totp_confirm(
                        user=user, code=form.cleaned_data["code"], ip=signin.client_ip(request)
                    )
                except DomainError as err:
                    status = show_error(form, err)
                else:
                    messages.success(request, _("From now on, signing in asks for the app's code."))
                    return redirect("console:home")
        context = {
            "form": form,
            "secret": services.totp_secret(pending),
            "qr": _qr_svg(pending.config_url),
        }
    else:
        context = {"enrolled": True}
    context["required"] = settings.PROPDESK_TOTP_REQUIRED
    return render(request, "org/totp.html", context, status=status)


# --- locked sign-ins --------------------------------------------------------------------------------


@login_required
def signin_locks(request):
    """Sign-ins locked now, and recent wrong tries: the administrator unlocks from here."""
    if not allowed(request.user, "staff.unlock"):
        raise PermissionDenied
    now = timezone.now()
    context = {
        "locks": selectors.signin_locks(now=now),
        "failures": selectors.signin_failures(limit=50),
    }
    return render(request, "org/signin_locks.html", context)


@require_POST
@login_required
def signin_unlock(request):
    if not allowed(request.user, "staff.unlock"):
        raise PermissionDenied
    username = (request.POST.get("username") or "").strip()
    # A lock may be on a name nobody has (a guesser's): it is cleared all the same.
    services.staff_unlock(actor=request.user, username=username, ip=signin.client_ip(request))
    messages.success(request, _("%(name)s may sign in again.") % {"name": username})
    return redirect("console:signin_locks")


# --- pickers: the suggestions of an office or staff field (org/pickers.py) ----------------------


def _typed(request) -> str:
    """The text typed: the picker's input sends itself under its own name, given as ``field``."""
    name = request.GET.get("field") or "q"
    return request.GET.get(name) or ""


@login_required
@require_GET
def pick_office(request):
    """Offices the user may see whose code or name matches the text typed: at most
    ``pickers.LIMIT`` options for the picker's datalist."""
    offices = pickers.offices_matching(request.user, _typed(request))
    choices = [{"value": o.code, "label": o.name} for o in offices]
    return render(request, "org/partials/picker_choices.html", {"choices": choices})


@login_required
@require_GET
def pick_staff(request):
    """Active staff the user may see whose username or name matches the text typed, of the
    ``role``s asked and of the ``office`` chosen beside the picker (its code), if any."""
    roles = [r for r in request.GET.getlist("role") if r in Role.values]
    office_id = None
    if office_text := (request.GET.get("office") or "").strip():
        office = pickers.office_named(request.user, office_text)
        if office is None:  # an office the user may not see, or none: nobody to suggest
            return render(request, "org/partials/picker_choices.html", {"choices": []})
        office_id = office.pk
    staff = pickers.staff_matching(request.user, _typed(request), roles=roles, office_id=office_id)
    choices = [{"value": u.username, "label": pickers.staff_label(u)} for u in staff]
    return render(request, "org/partials/picker_choices.html", {"choices": choices})
