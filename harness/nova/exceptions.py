"""Nova's exceptions that the simulated services raise among themselves, with Nova's messages.

Driver exceptions (``VirtualInterfaceCreateException``, ...) come from ``fake_drivers``; the
model recognises exception kinds by class name (``is_kind``) so it does not depend on a shared
base class. ``ApiError`` is what an API request raises: the HTTP status the REST API returns.
"""

import difflib


class NovaException(Exception):
    """Base: a message built from ``msg_fmt`` and keyword arguments, and an HTTP code."""

    msg_fmt = "An unknown exception occurred."
    code = 500

    def __init__(self, message=None, **kwargs):
        self.kwargs = dict(kwargs)
        self.kwargs.setdefault("code", self.code)
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                message = self.msg_fmt
        super().__init__(message)

    def format_message(self):
        return self.args[0]


class InstanceNotFound(NovaException):
    msg_fmt = "Instance %(instance_id)s could not be found."
    code = 404


class UnexpectedTaskStateError(NovaException):
    msg_fmt = ("Unexpected task state: expecting %(expected)s but the actual state is "
               "%(actual)s")


class UnexpectedDeletingTaskStateError(UnexpectedTaskStateError):
    pass


class InstanceInvalidState(NovaException):
    msg_fmt = ("Instance %(instance_uuid)s in %(attr)s %(state)s. Cannot %(method)s while the "
               "instance is in this state.")
    code = 409


class CannotResizeToSameFlavor(NovaException):
    msg_fmt = "When resizing, instances must change flavor!"
    code = 400


class CannotMigrateToSameHost(NovaException):
    msg_fmt = ("Cannot migrate to the host where the server exists. Please specify a "
               "different host.")
    code = 400


class ComputeHostNotFound(NovaException):
    msg_fmt = "Compute host %(host)s could not be found."
    code = 404


class ServiceUnavailable(NovaException):
    msg_fmt = "Service is unavailable at this time."
    code = 409


class MigrationNotFoundByStatus(NovaException):
    msg_fmt = "Migration not found for instance %(instance_id)s with status %(status)s."
    code = 404


class NoValidHost(NovaException):
    msg_fmt = "No valid host was found. %(reason)s"


class MaxRetriesExceeded(NoValidHost):
    msg_fmt = "Exceeded maximum number of retries. %(reason)s"


class MigrationError(NovaException):
    msg_fmt = "Migration error: %(reason)s"


class InstanceFaultRollback(NovaException):
    def __init__(self, inner_exception=None):
        self.inner_exception = inner_exception
        super().__init__("Instance rollback performed due to: %s" % inner_exception)


class UnableToMigrateToSelf(NovaException):
    msg_fmt = ("Unable to migrate instance (%(instance_id)s) to current host (%(host)s).")


class AllocationMoveFailed(NovaException):
    msg_fmt = ("Failed to move allocations from consumer %(source_consumer)s to consumer "
               "%(target_consumer)s. Error: %(error)s")


class AllocationUpdateFailed(NovaException):
    msg_fmt = "Failed to update allocations for consumer %(consumer_uuid)s. Error: %(error)s"


class AllocationDeleteFailed(NovaException):
    msg_fmt = "Failed to delete allocations for consumer %(consumer_uuid)s. Error: %(error)s"


class ConsumerAllocationRetrievalFailed(NovaException):
    msg_fmt = "Failed to retrieve allocations for consumer %(consumer_uuid)s: %(error)s"


class ResourceProviderAllocationRetrievalFailed(NovaException):
    msg_fmt = "Failed to retrieve allocations for resource provider %(rp_uuid)s: %(error)s"


class MessagingTimeout(Exception):
    """oslo_messaging.MessagingTimeout: no reply to an RPC call in time."""

    def format_message(self):
        return str(self)


class Retry(Exception):
    """The report client's internal 'retry me' signal (a provider generation conflict)."""

    def __init__(self, operation, reason):
        super().__init__(reason)
        self.operation = operation
        self.reason = reason


class ApiError(Exception):
    """An API request failed: ``status`` is the HTTP status the REST API answers with."""

    def __init__(self, status, message, cause=None):
        super().__init__("%s: %s" % (status, message))
        self.status = status
        self.message = message
        self.cause = cause


def is_kind(exc, name):
    """True when ``exc`` is an instance of a class called ``name`` (anywhere in its MRO)."""
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def is_nova_error(error):
    """True for the exceptions Nova's services raise (as opposed to a bug of the model)."""
    return (hasattr(error, "format_message") or isinstance(error, NotImplementedError)
            or is_kind(error, "Timeout"))


def fault_message(exc):
    """The message Nova stores in an instance fault for ``exc`` (exception_to_dict)."""
    try:
        message = exc.format_message()
    except Exception:
        message = type(exc).__name__
    return str(message)[:255]


def fault_code(exc):
    kwargs = getattr(exc, "kwargs", None)
    if isinstance(kwargs, dict):
        return kwargs.get("code", 500)
    return 500


def unknown_name(kind, name, known):
    """An error message for an unknown name, with a did-you-mean and the known names."""
    names = sorted(str(k) for k in known)
    close = difflib.get_close_matches(str(name), names, n=1)
    hint = " Did you mean %r?" % close[0] if close else ""
    return "unknown %s %r.%s Known: %s" % (kind, name, hint, ", ".join(names) or "(none)")
