"""What every HTML form shares: a service's refusal shown on the form it came from."""

from .errors import DomainError, NotFound


def show_error(form, err: DomainError, *, missing_is_bad_input: bool = False) -> int:
    """Put ``err`` on the visible field it names, else on the form as a whole; the page's status.

    A form with forms inside (lines, say) places it itself, in ``add_service_error``. With
    ``missing_is_bad_input``, a record the form names that is not there (``NotFound``) is the
    input's fault, 400, rather than the service's 404.
    """
    if hasattr(form, "add_service_error"):
        form.add_service_error(err)
    else:
        field = err.field if err.field in form.fields and not form[err.field].is_hidden else None
        form.add_error(field, err.message)
    if missing_is_bad_input and isinstance(err, NotFound):
        return 400
    return err.status
