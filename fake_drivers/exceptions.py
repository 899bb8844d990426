"""Nova's exceptions that the move flows and the fake drivers raise.

Each class keeps the name, the base class, the HTTP code and the message template of its
counterpart in ``nova/exception.py`` of Nova 34.0.0, so a fault text produced by the harness
reads exactly like the one a real Nova records (``"Virtual Interface creation failed"``).

The base class behaves as Nova's ``NovaException``: keyword arguments fill ``msg_fmt``; a
positional message replaces the template; a template whose keywords are missing falls back to
the raw template.  ``build(name, ...)`` makes an exception by class name for fault injection and
fills any keyword the template needs from the fault's context.
"""

import difflib
import re


class NovaException(Exception):
    """Base of Nova's exceptions: ``msg_fmt`` is formatted with the keyword arguments."""

    msg_fmt = "An unknown exception occurred."
    code = 500

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        self.kwargs.setdefault('code', self.code)
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                message = self.msg_fmt
        else:
            message = str(message)
        self.message = message
        super().__init__(message)

    def format_message(self):
        """The message as Nova records it in an instance fault."""
        return self.args[0]


class Invalid(NovaException):
    msg_fmt = "Bad Request - Invalid Parameters"
    code = 400


class NotFound(NovaException):
    msg_fmt = "Resource could not be found."
    code = 404


# --- virt driver and guest failures -------------------------------------------------------

class VirtualInterfaceCreateException(NovaException):
    msg_fmt = "Virtual Interface creation failed"


class VirtualInterfacePlugException(NovaException):
    msg_fmt = "Virtual interface plugin failed"


class HypervisorUnavailable(NovaException):
    msg_fmt = "Connection to the hypervisor is broken on host"


class InstanceExists(NovaException):
    msg_fmt = "Instance %(name)s already exists."


class InstanceNotRunning(Invalid):
    msg_fmt = "Instance %(instance_id)s is not running."


class InstancePowerOnFailure(Invalid):
    msg_fmt = "Failed to power on instance: %(reason)s"


class InstancePowerOffFailure(Invalid):
    msg_fmt = "Failed to power off instance: %(reason)s"


class InstanceTerminationFailure(Invalid):
    msg_fmt = "Failed to terminate instance: %(reason)s"


class InstanceDeployFailure(Invalid):
    msg_fmt = "Failed to deploy instance: %(reason)s"


class ServiceUnavailable(Invalid):
    msg_fmt = "Service is unavailable at this time."


class ComputeResourcesUnavailable(ServiceUnavailable):
    msg_fmt = "Insufficient compute resources: %(reason)s."


class ComputeServiceUnavailable(ServiceUnavailable):
    msg_fmt = "Compute service of %(host)s is unavailable at this time."


class ComputeServiceInUse(NovaException):
    msg_fmt = "Compute service of %(host)s is still in use."


# --- build, resize and migration failures -------------------------------------------------

class BuildAbortException(NovaException):
    msg_fmt = "Build of instance %(instance_uuid)s aborted: %(reason)s"


class RescheduledException(NovaException):
    msg_fmt = "Build of instance %(instance_uuid)s was re-scheduled: %(reason)s"


class InstanceFaultRollback(NovaException):
    """Wraps the real error; Nova resets vm_state instead of setting ERROR for it."""

    def __init__(self, inner_exception=None):
        self.inner_exception = inner_exception
        super().__init__("Instance rollback performed due to: %s" % inner_exception)


class MigrationError(NovaException):
    msg_fmt = "Migration error: %(reason)s"


class MigrationPreCheckError(MigrationError):
    msg_fmt = "Migration pre-check error: %(reason)s"


class MigrationSchedulerRPCError(MigrationError):
    msg_fmt = "Migration select destinations error: %(reason)s"


class ResizeError(NovaException):
    msg_fmt = "Resize error: %(reason)s"


class CannotResizeToSameFlavor(NovaException):
    msg_fmt = "When resizing, instances must change flavor!"


class CannotResizeDisk(NovaException):
    msg_fmt = "Server disk was unable to be resized because: %(reason)s"


class UnableToMigrateToSelf(Invalid):
    msg_fmt = "Unable to migrate instance (%(instance_id)s) to current host (%(host)s)."


class NoValidHost(NovaException):
    msg_fmt = "No valid host was found. %(reason)s"


class MaxRetriesExceeded(NoValidHost):
    msg_fmt = "Exceeded maximum number of retries. %(reason)s"


# --- instance state and lookups -----------------------------------------------------------

class InstanceInvalidState(Invalid):
    msg_fmt = ("Instance %(instance_uuid)s in %(attr)s %(state)s. Cannot %(method)s while "
               "the instance is in this state.")


class InstanceIsLocked(InstanceInvalidState):
    msg_fmt = "Instance %(instance_uuid)s is locked"


class InstanceUpdateConflict(NovaException):
    msg_fmt = ("Conflict updating instance %(instance_uuid)s. Expected: %(expected)s. "
               "Actual: %(actual)s")


class UnexpectedTaskStateError(InstanceUpdateConflict):
    pass


class UnexpectedDeletingTaskStateError(UnexpectedTaskStateError):
    pass


class InstanceNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s could not be found."


class MigrationNotFound(NotFound):
    msg_fmt = "Migration %(migration_id)s could not be found."


class MigrationNotFoundByStatus(MigrationNotFound):
    msg_fmt = "Migration not found for instance %(instance_id)s with status %(status)s."


class FlavorNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class ServiceNotFound(NotFound):
    msg_fmt = "Service %(service_id)s could not be found."


class HostNotFound(NotFound):
    msg_fmt = "Host %(host)s could not be found."


class ComputeHostNotFound(HostNotFound):
    msg_fmt = "Compute host %(host)s could not be found."


# --- Placement (report client) failures -----------------------------------------------------

class PlacementAPIConnectFailure(NovaException):
    msg_fmt = "Unable to communicate with the Placement API."


class PlacementAPIConflict(NovaException):
    msg_fmt = ("A conflict was encountered attempting to invoke the placement API at URL "
               "%(url)s: %(error)s")


class ResourceProviderUpdateConflict(PlacementAPIConflict):
    msg_fmt = ("A conflict was encountered attempting to update resource provider %(uuid)s "
               "(generation %(generation)d): %(error)s")


class ResourceProviderUpdateFailed(NovaException):
    msg_fmt = "Failed to update resource provider via URL %(url)s: %(error)s"


class ResourceProviderNotFound(NotFound):
    msg_fmt = "No such resource provider %(name_or_uuid)s."


class ResourceProviderInUse(NovaException):
    msg_fmt = "Resource provider has allocations."


class AllocationCreateFailed(NovaException):
    msg_fmt = ("Failed to create allocations for instance %(instance)s against resource "
               "provider %(provider)s.")


class AllocationUpdateFailed(NovaException):
    msg_fmt = "Failed to update allocations for consumer %(consumer_uuid)s. Error: %(error)s"


class AllocationMoveFailed(NovaException):
    msg_fmt = ("Failed to move allocations from consumer %(source_consumer)s to consumer "
               "%(target_consumer)s. Error: %(error)s")


class AllocationDeleteFailed(NovaException):
    msg_fmt = "Failed to delete allocations for consumer %(consumer_uuid)s. Error: %(error)s"


class ConsumerAllocationRetrievalFailed(NovaException):
    msg_fmt = "Failed to retrieve allocations for consumer %(consumer_uuid)s: %(error)s"


class ResourceProviderAllocationRetrievalFailed(NovaException):
    msg_fmt = "Failed to retrieve allocations for resource provider %(rp_uuid)s: %(error)s"


# --- not from nova/exception.py, but raised in the same flows ---------------------------------

class MessagingTimeout(Exception):
    """oslo.messaging's timeout of an RPC call (a call to a stopped compute)."""

    def __init__(self, message="Timed out waiting for a reply"):
        self.message = message
        super().__init__(message)

    def format_message(self):
        return self.message


class TestingException(Exception):
    """nova.test.TestingException: what Nova's tests raise from stubbed steps."""

    def format_message(self):
        return str(self)


def _collect():
    found = {}
    for name, value in sorted(globals().items()):
        if isinstance(value, type) and issubclass(value, Exception) and not name.startswith('_'):
            found[name] = value
    return found


EXCEPTIONS = _collect()
"""Exception class name -> class, for fault plans and scenarios."""

_KEY = re.compile(r'%\((\w+)\)')


def get_exception_class(name):
    """The exception class called ``name``; ValueError with a suggestion otherwise."""
    try:
        return EXCEPTIONS[name]
    except (KeyError, TypeError):
        raise ValueError(unknown_name_message('exception', name, EXCEPTIONS)) from None


def template_keys(cls):
    """The keyword names the message template of ``cls`` needs, in order."""
    return _KEY.findall(getattr(cls, 'msg_fmt', '') or '')


def build(name, message=None, **context):
    """Instantiate the exception called ``name`` as a fault would raise it.

    With ``message``, the message replaces the template (as a positional message does in Nova).
    Without it, the template is filled from ``context``; a missing ``reason`` becomes
    ``context['reason']`` or a text naming the fault, missing ids become the server uuid.
    """
    cls = get_exception_class(name)
    if cls is InstanceFaultRollback:
        inner = context.get('inner_exception') or TestingException(
            message or context.get('reason', 'Simulated failure.'))
        return cls(inner)
    if not issubclass(cls, NovaException):
        return cls(message or context.get('reason') or 'Simulated failure.')
    if message:
        return cls(message)
    kwargs = {}
    for key in template_keys(cls):
        kwargs[key] = _default_for(key, context)
    return cls(**kwargs)


def _default_for(key, context):
    if key in context:
        return context[key]
    server = context.get('instance_uuid') or context.get('server') or 'unknown'
    if key in ('instance_uuid', 'instance_id', 'instance'):
        return server
    if key == 'reason':
        return 'Simulated failure.'
    if key == 'generation':
        return 0
    return context.get('host', 'unknown') if key == 'host' else 'unknown'


def unknown_name_message(kind, name, known):
    """'unknown <kind> X; did you mean Y? valid: ...' for an unknown name."""
    names = sorted(known)
    close = difflib.get_close_matches(str(name), names, n=3, cutoff=0.5)
    hint = '; did you mean %s?' % ' or '.join(repr(c) for c in close) if close else ''
    return 'unknown %s %r%s Valid names: %s' % (kind, name, hint or '.', ', '.join(names))
