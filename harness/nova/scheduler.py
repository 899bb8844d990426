"""Nova's scheduler service: select_destinations over Placement allocation candidates.

Per reference §3.2 step 3 (nova/scheduler/manager.py::_schedule): ask Placement for
allocation candidates of the flavor, drop hosts the request excludes (``ignore_hosts``, a
requested destination, a compute service that is down or disabled), sort the rest, claim the
instance consumer on the first host whose claim succeeds (PUT with consumer_generation=None),
and return it with up to ``max_attempts - 1`` alternates whose allocation requests are not
claimed. Weighing is reduced to Nova's RAM weigher (most free MEMORY_MB first), ties broken by
host name, so that the order is deterministic.
"""

import collections
import dataclasses

from harness.nova import exceptions as exc

Selection = collections.namedtuple(
    "Selection", "service_host nodename compute_node_uuid allocation_request")


@dataclasses.dataclass
class RequestSpec:
    """The parts of Nova's RequestSpec that scheduling a move uses."""

    instance_uuid: str
    flavor: object
    project_id: str
    user_id: str
    ignore_hosts: list = dataclasses.field(default_factory=list)
    requested_host: str = None      # requested_destination.host (a targeted move)
    force_host: str = None          # boot with availability_zone "nova:<host>"


class SchedulerService:
    """select_destinations; runs in the conductor's task (the RPC points are the conductor's)."""

    def __init__(self, cloud):
        self.cloud = cloud
        self.report = cloud.report_client("scheduler")

    def select_destinations(self, spec, return_alternates=True):
        """A generator returning [selected] + alternates, or raising NoValidHost."""
        cloud = self.cloud
        providers = tuple(cloud.rp_uuids())
        requests, summaries = yield from self.report.get_allocation_candidates(
            spec.flavor.resources(), providers,
            extra_reads=tuple("host:" + host for host in cloud.services))  # service up checks
        if not requests:
            raise exc.NoValidHost(reason="")
        by_host = self._requests_by_host(requests)
        hosts = self._filter(spec, by_host)
        hosts.sort(key=lambda host: (-_free(summaries, cloud.compute_rp(host), "MEMORY_MB"),
                                     host))
        num_alts = cloud.options.max_attempts - 1 if return_alternates else 0
        chosen = None
        for host in hosts:
            claimed = yield from self.report.claim_resources(
                spec.instance_uuid, by_host[host], spec.project_id, spec.user_id,
                consumer_generation=None)
            if claimed:
                chosen = host
                break
        if chosen is None:
            raise exc.NoValidHost(reason="There are not enough hosts available.")
        alternates = [h for h in hosts if h != chosen][:max(num_alts, 0)]
        return [self._selection(h, by_host[h]) for h in [chosen] + alternates]

    def _requests_by_host(self, requests):
        by_host = {}
        for request in requests:
            rps = sorted(request["allocations"])
            host = None
            for rp in rps:
                host = self.cloud.host_of_rp(rp) or host
            if host is not None and host not in by_host:
                by_host[host] = request
        return by_host

    def _filter(self, spec, by_host):
        services = self.cloud.services
        hosts = []
        for host in sorted(by_host):
            if spec.force_host is not None:
                if host == spec.force_host:   # forced hosts bypass the filters
                    hosts.append(host)
                continue
            if spec.requested_host is not None:
                if host != spec.requested_host:
                    continue
            if host in spec.ignore_hosts:
                continue
            service = services.get(host)
            if service is None or not service.record.up or service.record.disabled:
                continue
            hosts.append(host)
        return hosts

    def _selection(self, host, request):
        rp = self.cloud.compute_rp(host)
        return Selection(host, self.cloud.services[host].nodename, rp, request)


def _free(summaries, rp, rc):
    resources = (summaries.get(rp) or {}).get("resources") or {}
    entry = resources.get(rc) or {}
    return entry.get("capacity", 0) - entry.get("used", 0)
