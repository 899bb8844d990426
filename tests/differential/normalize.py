"""Make two services' answers comparable: same status, same JSON after renaming what may differ.

- Every value the sequence bound (uuids, names, custom trait and class names) becomes its
  symbolic name (`rp3`, `consumer0`, `trait1`), in strings and in dict keys, on both sides.
- Any other uuid (one a service chose) becomes `<uuid-N>`, numbered by order of appearance.
- `request_id` of error bodies is dropped (random per request); headers (dates,
  `Last-Modified`, request ids) are not compared.
- Arrays are sorted by their canonical JSON: Placement promises no order for the lists it
  returns (providers, traits, aggregates, allocation requests).
- Numbers keep their JSON type (1 and 1.0 differ), as clients see them.
- In text, a comma-separated run of renamed values (`'<rp1>, <rp0>'`) is sorted: the real
  service joins Python sets of uuids into some messages (e.g. "Inventory for ... on resource
  provider ... invalid."), so their order follows the hash seed.
- Allocation candidates asked for with `limit` are compared by count only: which candidates the
  real service keeps depends on Python set order (the hash seed), so it is not reproducible.
"""
import json
import re

_SYMBOL_RUN = re.compile(r'<[^<>\s]+>(?:, <[^<>\s]+>)+')

UUID_RE = r'[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}'


class Renamer(object):
    """Replaces known values by their symbols and unknown uuids by numbered placeholders."""

    def __init__(self, known):
        self._known = dict(known)
        self._unknown = {}
        values = sorted(self._known, key=len, reverse=True)
        alternatives = [re.escape(v) for v in values] + [UUID_RE]
        self._pattern = re.compile('|'.join(alternatives))

    def reset(self):
        """Forget the numbering of unknown uuids (it is per answer)."""
        self._unknown = {}

    def _replace(self, match):
        text = match.group(0)
        if text in self._known:
            return '<%s>' % self._known[text]
        if text not in self._unknown:
            self._unknown[text] = '<uuid-%d>' % (len(self._unknown) + 1)
        return self._unknown[text]

    def text(self, value):
        renamed = self._pattern.sub(self._replace, value)
        return _SYMBOL_RUN.sub(lambda m: ', '.join(sorted(m.group(0).split(', '))), renamed)


def _walk(value, renamer):
    if isinstance(value, dict):
        out = {}
        for key in sorted(value):
            if key == 'request_id':
                continue
            out[renamer.text(key)] = _walk(value[key], renamer)
        return out
    if isinstance(value, list):
        items = [_walk(item, renamer) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, str):
        return renamer.text(value)
    return value


def normalize(status, body, known, count_only=False):
    """(status, canonical text of the body) for one response; `body` is bytes.

    `known` is {value: symbol}, or a ready Renamer (cheaper when many answers share it);
    `count_only` reduces a successful allocation-candidates answer to its number of requests.
    """
    renamer = known if isinstance(known, Renamer) else Renamer(known)
    renamer.reset()
    text = body.decode('utf-8', 'replace')
    try:
        data = json.loads(text) if text.strip() else None
    except ValueError:
        return status, 'non-JSON: ' + renamer.text(text)
    if count_only and status == 200 and isinstance(data, dict):
        data = {'allocation_requests (count)': len(data.get('allocation_requests', ()))}
    return status, json.dumps(_walk(data, renamer), sort_keys=True)
