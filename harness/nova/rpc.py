"""RPC between the simulated services, with oslo.messaging's semantics.

- A *cast* is sent at a scheduling point and delivered as a new task on the receiving service,
  which starts with a receive point. A cast to a stopped service waits in that service's queue
  and is delivered, in order, when the service starts again (after ``init_host``).
- A *call* is a cast whose handler sets a reply; the caller waits at most
  ``rpc_response_timeout`` virtual seconds and then gets ``MessagingTimeout``. A call to a stopped
  service also sits in its queue: if the service comes back later it still runs the request,
  and the reply goes nowhere (as with a real broker).
- A handler that raises: the exception goes back to a caller; for a cast it is only logged
  (oslo logs it and drops it), so handler tasks never die with an exception.
- Every handler task is registered with its service so that a crash can cancel it.
"""

import collections

from harness import sim
from harness.nova import exceptions as exc

MAX_QUEUE = 10_000

Message = collections.namedtuple("Message", "method factory reply label keys")


class Endpoint:
    """A service that receives messages: a queue while it is stopped, its running tasks."""

    def __init__(self, cloud, topic, host=None):
        self.cloud = cloud
        self.topic = topic
        self.host = host
        self.running = True      # taking messages
        self.queue = collections.deque()
        self.tasks = {}          # Task -> None, in spawn order

    @property
    def name(self):
        return "%s %s" % (self.topic, self.host) if self.host else self.topic

    def deliver(self, message):
        """Dispatch a message now, or queue it until the service runs."""
        if self.running:
            self.spawn(self._handle(message), "%s.%s %s" % (self.topic, message.method,
                                                            message.label))
        else:
            if len(self.queue) >= MAX_QUEUE:
                raise RuntimeError("more than %d messages queued for %s: the scenario never "
                                   "starts it again" % (MAX_QUEUE, self.name))
            self.queue.append(message)

    def drain(self):
        """Deliver the queued messages in order (the service has just started)."""
        while self.queue and self.running:
            self.deliver(self.queue.popleft())

    def spawn(self, gen, name, writes=()):
        """Run ``gen`` as a task of this service (cancelled if the service crashes).

        ``writes``: the footprint of the code before ``gen``'s first yield (none by default).
        """
        task = self.cloud.sim.spawn(self._tracked(gen), name=name, reads=(), writes=writes)
        self.tasks[task] = None
        return task

    def _tracked(self, gen):
        try:
            return (yield from gen)
        finally:
            self.tasks.pop(self.cloud.sim.current, None)

    def _handle(self, message):
        key = "host:" + (self.host or self.topic)
        yield sim.Point(_label("rpc.recv", self.topic, message.method, self.host),
                        reads=message.keys, writes=(key,))
        try:
            result = yield from message.factory()
        except Exception as error:  # oslo.messaging logs a failed cast and moves on
            if not exc.is_nova_error(error):
                raise   # a bug of the model itself: let the task fail loudly
            self.cloud.log("error", self.name, "%s failed: %s: %s" % (
                message.method, type(error).__name__, exc.fault_message(error)))
            if message.reply is not None:
                message.reply.set(("error", error))
            return None
        if message.reply is not None:
            message.reply.set(("ok", result))
        return result

    def cancel_tasks(self):
        """Cancel every running task of the service (a crash), in spawn order."""
        for task in list(self.tasks):
            task.cancel()
        self.tasks.clear()


class Messaging:
    """The message bus: casts and calls to the conductor and to compute services."""

    def __init__(self, cloud):
        self.cloud = cloud

    def _endpoint(self, topic, host):
        if topic == "compute":
            return self.cloud.services[host]
        return self.cloud.conductor_endpoint

    def cast(self, topic, host, method, factory, instance=None):
        """Send a one-way message; ``factory()`` builds the handler generator on delivery.

        The receive point of the handler reads the row of ``instance`` (the handler starts by
        looking at it).
        """
        label, keys = _about(instance)
        where = host or topic
        yield sim.Point(_label("rpc.cast", topic, method, host), writes=("host:" + where,))
        self._endpoint(topic, host).deliver(Message(method, factory, None, label, keys))

    def call(self, topic, host, method, factory, instance=None):
        """Send a request and wait for its reply (or MessagingTimeout)."""
        label, keys = _about(instance)
        where = host or topic
        reply = self.cloud.sim.event("reply %s.%s %s" % (topic, method, where))
        yield sim.Point(_label("rpc.call", topic, method, host), writes=("host:" + where,))
        self._endpoint(topic, host).deliver(Message(method, factory, reply, label, keys))
        try:
            status, value = yield sim.Wait(reply, timeout=self.cloud.options.rpc_response_timeout)
        except sim.Timeout:
            raise exc.MessagingTimeout(
                "Timed out waiting for a reply to %s.%s on %s" % (topic, method, where)) from None
        if status == "error":
            raise value
        return value


def _about(instance):
    if instance is None:
        return "", ()
    return instance.display_name, ("db:instance:" + instance.uuid,)


def _label(kind, topic, method, host):
    """A label such as "rpc.cast compute.finish_resize host2" (no host for the conductor)."""
    label = "%s %s.%s" % (kind, topic, method)
    return label + " " + host if host else label
