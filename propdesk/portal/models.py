from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.models import TimeStampedModel
from propdesk.core.tokens import HashedToken


class PortalAccount(TimeStampedModel):
    """A customer's sign-in to the portal, by mobile number: a password, or a one-time SMS code.

    Kept apart from staff users on purpose: a customer holds no role, no office and no permission
    in the staff console; what they may see is decided by who they are (their households).
    """

    customer = models.OneToOneField(
        "customers.Customer", models.CASCADE, related_name="portal_account"
    )
    phone = models.CharField(_("mobile"), max_length=20, unique=True)  # E.164
    password = models.CharField(max_length=128, blank=True)  # a Django password hash, or empty
    is_active = models.BooleanField(_("active"), default=True)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")

    def __str__(self):
        return self.phone


class LoginCode(models.Model):
    """A one-time sign-in code sent by SMS: expires, is used once, and dies after 5 wrong tries."""

    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The latest code for a number, and the rate limit's count of recent codes.
            models.Index(fields=["phone", "-created_at"], name="logincode_phone_created")
        ]


class PortalToken(HashedToken):
    """A customer's sign-in for an app (the customer API): ``Authorization: Bearer <token>``.

    The kernel's token scheme (``core.tokens``): a token lives 30 days from sign-in
    (``portal.tokens``), dies at sign-out, and stops working when its account is deactivated. It
    opens the customer API and nothing else.
    """

    HOLDER = "account"

    account = models.ForeignKey(PortalAccount, models.CASCADE, related_name="tokens")

    class Meta:
        verbose_name = _("app sign-in")
        verbose_name_plural = _("app sign-ins")
        indexes = [
            # The nightly purge of ended sign-ins (portal.tokens.tokens_purge).
            models.Index(fields=["expires_at"], name="portaltoken_expires"),
            models.Index(fields=["revoked_at"], name="portaltoken_revoked"),
        ]
