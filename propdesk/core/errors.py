"""The one error type that services raise.

Services raise ``DomainError`` (or a subclass) with a translatable message, a stable machine code
and, where one input is at fault, the field name. The API turns it into a JSON body with the
matching HTTP status; the console shows the message on the form.
"""


class DomainError(Exception):
    status = 400

    def __init__(self, message, *, code: str = "invalid", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field

    def as_dict(self) -> dict:
        body = {"code": self.code, "detail": str(self.message)}
        if self.field:
            body["field"] = self.field
            body["errors"] = {self.field: [str(self.message)]}
        return body


class NotFound(DomainError):
    """The record does not exist, or is not the caller's to see (we never say which)."""

    status = 404

    def __init__(self, message=None, *, code: str = "not_found", field: str | None = None):
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("Not found."), code=code, field=field)


class Forbidden(DomainError):
    status = 403

    def __init__(self, message=None, *, code: str = "forbidden", field: str | None = None):
        from django.utils.translation import gettext_lazy as _

        super().__init__(
            message or _("You do not have permission to do this."), code=code, field=field
        )


class Conflict(DomainError):
    """The action clashes with the record's current state: not allowed now, or changed meanwhile."""

    status = 409

    def __init__(self, message, *, code: str = "conflict", field: str | None = None):
        super().__init__(message, code=code, field=field)


class Unprocessable(DomainError):
    """Well formed, but not something we can act on (an Idempotency-Key reused for another
    request)."""

    status = 422

    def __init__(self, message, *, code: str = "unprocessable", field: str | None = None):
        super().__init__(message, code=code, field=field)


class PreconditionRequired(DomainError):
    """A change that must say which version of the record it was made against, and did not."""

    status = 428

    def __init__(self, message, *, code: str = "precondition_required", field: str | None = None):
        super().__init__(message, code=code, field=field)


class TooManyRequests(DomainError):
    """Asked too often, or tried too many times: wait and try again."""

    status = 429

    def __init__(self, message, *, code: str = "too_many_requests", field: str | None = None):
        super().__init__(message, code=code, field=field)
