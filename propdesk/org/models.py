from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel
from propdesk.core.phones import display_phone
from propdesk.core.tokens import HashedToken


class Company(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    # M17: the company's own complaint line (E.164), answered by the Quality Management
    # Department; each office has its complaint line in the hotline.
    complaint_line = models.CharField(_("company complaint line"), max_length=20, blank=True)

    def clean(self):
        from django.core.exceptions import ValidationError

        from propdesk.core.errors import DomainError
        from propdesk.core.phones import normalize_phone

        if self.complaint_line:
            try:
                self.complaint_line = normalize_phone(self.complaint_line, field="complaint_line")
            except DomainError as err:
                raise ValidationError({"complaint_line": str(err.message)}) from None

    @property
    def complaint_line_display(self) -> str:
        from propdesk.core.phones import display_phone

        return display_phone(self.complaint_line) if self.complaint_line else ""

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name


class Office(TimeStampedModel):
    """A management office (管理处): one per managed community."""

    company = models.ForeignKey(Company, models.PROTECT, related_name="offices")
    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("management office")
        verbose_name_plural = _("management offices")
        ordering = ["code"]

    def __str__(self):
        return self.name


class HotlineLine(TimeStampedModel):
    """One of an office's three hotline lines (M02): the numbers the office publishes, on its
    notices, in its Service Guide and on the portal. Calls come in on a line and the duty roster
    covers it (``hotline``)."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaints")
        SERVICE = "service", _("Service")
        DUTY = "duty", _("24-hour duty")

    office = models.ForeignKey(
        "org.Office", models.PROTECT, related_name="lines", verbose_name=_("office")
    )
    kind = models.CharField(_("line"), max_length=10, choices=Kind.choices)
    # E.164; the phone system tells us which number was dialled, and this finds the line.
    number = models.CharField(_("number"), max_length=20, unique=True)
    # The tables keep the names they had when lines were the hotline app's.
    history = HistoricalRecords(
        excluded_fields=["updated_at"], table_name="hotline_historicalhotlineline"
    )

    class Meta:
        verbose_name = _("hotline line")
        verbose_name_plural = _("hotline lines")
        db_table = "hotline_hotlineline"
        ordering = ["office", "kind"]
        constraints = [models.UniqueConstraint(fields=["office", "kind"], name="line_one_per_kind")]

    def __str__(self):
        return f"{self.office} {self.get_kind_display()} {display_phone(self.number)}"

    @property
    def display_number(self) -> str:
        return display_phone(self.number)


class Department(TimeStampedModel):
    class Kind(models.TextChoices):
        SERVICE_CENTER = "service_center", _("Service center")
        QUALITY = "quality", _("Quality Management Department")
        LEADERSHIP = "leadership", _("Company leadership")
        ENGINEERING = "engineering", _("Engineering")
        FOLLOWUP = "followup", _("Follow-up")
        OTHER = "other", _("Other")

    company = models.ForeignKey(Company, models.PROTECT, related_name="departments")
    # Empty for company departments (quality, leadership); set for an office's own departments.
    office = models.ForeignKey(
        Office, models.PROTECT, null=True, blank=True, related_name="departments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "office", "kind"], name="department_unique_kind"
            )
        ]

    def __str__(self):
        return self.name


class StaffQuerySet(models.QuerySet):
    def technicians(self):
        """Active technicians: the staff work orders go to."""
        return self.filter(role=Role.TECHNICIAN, is_active=True)

    def technicians_of(self, office_id):
        """Whom a request of this office may be dispatched or transferred to, or its rework sent:
        the office's own active technicians."""
        return self.technicians().filter(office_id=office_id)

    def desk_of(self, office_id):
        """The office's service desk: its active agents and director, who take its new requests
        and handle its complaints (M19)."""
        return self.filter(
            role__in=(Role.AGENT, Role.DIRECTOR), office_id=office_id, is_active=True
        )


class StaffManager(UserManager.from_queryset(StaffQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class Role(models.TextChoices):
    AGENT = "agent", _("Service agent")
    TECHNICIAN = "technician", _("Technician")
    DIRECTOR = "director", _("Office director")
    FOLLOWUP = "followup", _("Follow-up specialist")
    QUALITY = "quality", _("Quality manager")
    LEADERSHIP = "leadership", _("Company leadership")
    ADMIN = "admin", _("Administrator")


# Roles that belong to one management office and see only its data.
OFFICE_ROLES = frozenset({Role.AGENT, Role.TECHNICIAN, Role.DIRECTOR})
# Roles that belong to the company and see every office.
COMPANY_ROLES = frozenset({Role.FOLLOWUP, Role.QUALITY, Role.LEADERSHIP, Role.ADMIN})


class User(AbstractUser):
    """A member of staff. Office roles carry their office; company roles carry none."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    office = models.ForeignKey(
        Office,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("office"),
    )
    department = models.ForeignKey(
        Department, models.SET_NULL, null=True, blank=True, related_name="staff"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Empty: the company's default language (Chinese).
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    objects = StaffManager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(r.value for r in OFFICE_ROLES))
                | models.Q(office__isnull=False),
                name="office_role_has_office",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.last_name}{self.first_name}" or self.username

    @property
    def is_company_role(self) -> bool:
        return self.role in COMPANY_ROLES or self.is_superuser

    @property
    def acting_role(self) -> str:
        """The role permissions are checked against (``core.permissions``): a superuser acts as
        admin, whatever role he was given."""
        return Role.ADMIN if self.is_superuser else self.role


class StaffToken(HashedToken):
    """A member of staff's sign-in for the API: ``Authorization: Token <token>``.

    The kernel's token scheme (``core.tokens``), as the customers' ``portal.PortalToken``: it
    lives ``PROPDESK_STAFF_TOKEN_DAYS`` from sign-in (``org.tokens``), dies when revoked
    (``DELETE /api/v1/auth/token/``, the admin), and every token of a user is revoked when the
    user is deactivated or their password changes.
    """

    HOLDER = "user"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [
            # The nightly purge of ended tokens (org.tokens.tokens_purge).
            models.Index(fields=["expires_at"], name="stafftoken_expires"),
            models.Index(fields=["revoked_at"], name="stafftoken_revoked"),
        ]


class SecurityEvent(models.Model):
    """The audit of what was done to someone's sign-in: an account unlocked, an API token
    revoked, an authenticator enrolled or removed. Staff accounts and customers' portal accounts
    alike (``subject`` says whose); failed sign-in tries themselves are django-axes' failure log
    (staff) and the account's count (customers). Written by the services, never changed."""

    class Kind(models.TextChoices):
        UNLOCK = "unlock", _("Sign-in unlocked")
        TOKEN_REVOKED = "token_revoked", _("API tokens revoked")
        TOTP_ENROLLED = "totp_enrolled", _("Authenticator enrolled")
        TOTP_REMOVED = "totp_removed", _("Authenticator removed")

    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    # "staff:<username>" or "customer:<mobile>": whose sign-in it was.
    subject = models.CharField(_("whose"), max_length=160)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sign-in audit entry")
        verbose_name_plural = _("sign-in audit")
        ordering = ["-at"]
        indexes = [
            # "What was done to this account", in the admin's search.
            models.Index(fields=["subject", "-at"], name="securityevent_subject")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"
