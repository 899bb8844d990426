"""GET / : the version document."""

from placement_sim import microversion
from placement_sim.handlers import util


def home(req):
    """The version discovery document (the same at every microversion)."""
    document = {'versions': [{
        'id': 'v' + str(microversion.MIN),
        'max_version': str(microversion.MAX),
        'min_version': str(microversion.MIN),
        'status': 'CURRENT',
        'links': [{'rel': 'self', 'href': ''}],
    }]}
    return util.json_response(req, document)
