"""The OpenAPI schema's finishing touches, applied to every operation at once
(``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``)."""

from django.utils.translation import gettext_lazy as _

ERROR_REF = {"$ref": "#/components/schemas/Error"}

# What any operation may answer besides its own results, in the one error shape
# (``core.api.exception_handler``): bad input or filters, a page past the end, no or an expired
# sign-in, a role that may not, a record not found, an Accept the API cannot answer, too many
# tries.
ANY_OPERATION = {
    "400": _("Invalid input: `field` names it."),
    "401": _("Not signed in, or the token expired or was revoked."),
    "403": _("Your role may not do this."),
    "404": _("No such record (or not one you may see), or no such page."),
    "406": _("The API answers JSON only: ask for application/json."),
    "429": _("Too many tries: wait and try again."),
}
WITH_A_BODY = {"415": _("Send the body as JSON (or a form where files are sent).")}
# A change to a record that carries a version (the operation takes If-Match).
WITH_A_VERSION = {
    "409": _("Someone changed the record meanwhile, or its state does not allow this."),
    "428": _("Send the version you last read (`version` or If-Match)."),
}


def document_errors(result, generator, request, public):
    """Give every operation the error answers it can really give, in the shape ``Error``, where
    its own view did not already describe them: a client generated from the schema then reads
    every answer, and schemathesis (.ci/schemathesis.sh) holds the API to it."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if "Error" not in schemas:
        return result
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(ANY_OPERATION)
            if "requestBody" in operation:
                errors.update(WITH_A_BODY)
            if any(p.get("name") == "If-Match" for p in operation.get("parameters", [])):
                errors.update(WITH_A_VERSION)
            responses = operation["responses"]
            # gunicorn, in front of Django, refuses a request line past 4 KiB in HTML of its own.
            responses.setdefault(
                "414",
                {
                    "content": {"text/html": {"schema": {"type": "string"}}},
                    "description": str(_("The URL is too long (the web server answers).")),
                },
            )
            for status, description in errors.items():
                responses.setdefault(
                    status,
                    {
                        "content": {"application/json": {"schema": ERROR_REF}},
                        "description": str(description),
                    },
                )
    return result
