"""Nova's exceptions that the simulated services raise among themselves, with Nova's messages.

Nova's exception classes live once, in ``fake_drivers.exceptions`` (the lower layer, checked
against nova 34.0.0's ``exception.py``); this module re-exports the ones the model raises and adds
what only the model needs: ``CannotMigrateToSameHost``, the RPC layer's ``MessagingTimeout``, the
report client's ``Retry`` signal, and ``ApiError``, what an API request raises: the HTTP status
the REST API returns. The model recognises exception kinds by class name (``is_kind``).
"""

import difflib

from fake_drivers.exceptions import (  # noqa: F401 (re-exported for the model)
    AllocationDeleteFailed, AllocationMoveFailed, AllocationUpdateFailed,
    CannotResizeToSameFlavor, ComputeHostNotFound, ConsumerAllocationRetrievalFailed,
    InstanceFaultRollback, InstanceInvalidState, InstanceNotFound, MaxRetriesExceeded,
    MigrationError, MigrationNotFoundByStatus, NoValidHost, NovaException,
    ResourceProviderAllocationRetrievalFailed, ServiceUnavailable, UnableToMigrateToSelf,
    UnexpectedDeletingTaskStateError, UnexpectedTaskStateError)


class CannotMigrateToSameHost(NovaException):
    msg_fmt = ("Cannot migrate to the host where the server exists. Please specify a "
               "different host.")
    code = 400


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
