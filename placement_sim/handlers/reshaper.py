"""Handler of POST /reshaper (1.30+)."""

from placement_sim.handlers import allocation
from placement_sim.handlers import util
from placement_sim.schemas import allocation as alloc_schema
from placement_sim.schemas import reshaper as schema


def reshape(req):
    req.require_version((1, 30))
    req.require_content()
    req.can('placement:reshaper:reshape')
    data = req.json(alloc_schema.pick(schema.RESHAPE_V, req.version))
    request = {}
    for consumer_uuid, entry in data['allocations'].items():
        project_id, user_id = allocation._owner(entry)
        request[consumer_uuid] = {
            'allocations': {rp_uuid: {'resources': alloc['resources']}
                            for rp_uuid, alloc in entry['allocations'].items()},
            'project_id': project_id,
            'user_id': user_id,
            'consumer_generation': entry.get('consumer_generation'),
            'consumer_type': entry.get('consumer_type'),
        }
    req.placement.reshape(data['inventories'], request)
    return util.empty_response(req)
