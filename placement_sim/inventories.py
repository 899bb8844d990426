"""Inventories of a provider: the whole set (PUT/DELETE) and single classes (POST/PUT/DELETE).

Each write bumps the provider generation once. Shrinking below current usage is allowed;
removing a class that has allocations is not.
"""

from placement_sim import exceptions as exc
from placement_sim.records import INVENTORY_DEFAULTS, INVENTORY_FIELDS, MAX_INT, capacity

_INT_FIELDS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size')
_MINIMUM = {'total': 1, 'reserved': 0, 'min_unit': 1, 'max_unit': 1, 'step_size': 1}


def make_inventory(rc, fields):
    """A full inventory record: API defaults for omitted fields; type and range checks."""
    if not isinstance(fields, dict):
        raise exc.BadRequest('Inventory of %s must be a dict of fields, got %r.' % (rc, fields))
    unknown = set(fields) - set(INVENTORY_FIELDS) - {'resource_provider_generation'}
    if unknown:
        raise exc.BadRequest('Unknown inventory field(s) for %s: %s; valid fields: %s.'
                             % (rc, ', '.join(sorted(unknown)), ', '.join(INVENTORY_FIELDS)))
    if 'total' not in fields:
        raise exc.BadRequest("Inventory of %s needs 'total'." % rc)
    inv = dict(INVENTORY_DEFAULTS)
    for field in INVENTORY_FIELDS:
        if field in fields:
            inv[field] = fields[field]
    for field in _INT_FIELDS:
        value = inv[field]
        if isinstance(value, bool) or not isinstance(value, int) or not (
                _MINIMUM[field] <= value <= MAX_INT):
            raise exc.BadRequest('Inventory field %s of %s must be an integer from %d to %d, '
                                 'got %r.' % (field, rc, _MINIMUM[field], MAX_INT, value))
    ratio = inv['allocation_ratio']
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not (
            0 <= ratio <= 3.40282e38):
        raise exc.BadRequest('Inventory field allocation_ratio of %s must be a non-negative '
                             'number, got %r.' % (rc, ratio))
    inv['allocation_ratio'] = float(ratio)
    return {field: inv[field] for field in INVENTORY_FIELDS}


class InventoriesMixin:
    """Inventory operations of `Placement`."""

    def get_inventories(self, rp_uuid):
        """{'resource_provider_generation': g, 'inventories': {rc: record}}."""
        if self.faults.active:
            self._read_fault('get_inventories', ())
        rp = self._rps.get(rp_uuid)
        if rp is None:
            raise exc.NotFound('No resource provider with uuid %s found : No resource provider '
                               'with uuid %s found' % (rp_uuid, rp_uuid))
        return self._inventories_body(rp)

    @staticmethod
    def _inventories_body(rp):
        return {'resource_provider_generation': rp.generation,
                'inventories': {rc: dict(inv) for rc, inv in rp.inventories.items()}}

    def get_inventory(self, rp_uuid, rc):
        """One inventory record plus 'resource_provider_generation'; 404 when absent."""
        if self.faults.active:
            self._read_fault('get_inventories', ())
        rp = self._rps.get(rp_uuid)
        if rp is None:
            raise exc.NotFound('No resource provider with uuid %s found : No resource provider '
                               'with uuid %s found' % (rp_uuid, rp_uuid))
        inv = rp.inventories.get(rc)
        if inv is None:
            raise exc.NotFound('No inventory of class %s for %s' % (rc, rp_uuid))
        body = dict(inv)
        body['resource_provider_generation'] = rp.generation
        return body

    def _capacity_refused(self, rp, rc, inv, reserved_can_be_total, prefix):
        cap = capacity(inv)
        if reserved_can_be_total:
            if cap < 0:
                raise exc.BadRequest(
                    "%s%s: Invalid inventory for '%s' on resource provider '%s'. The reserved "
                    "value is greater than total." % (prefix, rp.uuid, rc, rp.uuid))
        elif cap <= 0:
            raise exc.BadRequest(
                "%s%s: Invalid inventory for '%s' on resource provider '%s'. The reserved "
                "value is greater than or equal to total." % (prefix, rp.uuid, rc, rp.uuid))

    def _in_use_message(self, rp, classes):
        used = self._rc_sort(rc for rc in classes if rp.usage.get(rc))
        if not used:
            return None
        return "Inventory for '%s' on resource provider '%s' in use." % (
            ', '.join(used), rp.uuid)

    def set_inventories(self, rp_uuid, generation, inventories, reserved_can_be_total=True):
        """Replace the provider's whole inventory (PUT .../inventories).

        `generation` must equal the provider's. `reserved_can_be_total=False` gives the
        capacity rule below microversion 1.26 (reserved must stay below total).
        """
        if self.faults.active:
            return self._with_faults('set_inventories', (), self._set_inventories, rp_uuid,
                                     generation, inventories, reserved_can_be_total)
        return self._set_inventories(rp_uuid, generation, inventories, reserved_can_be_total)

    def _set_inventories(self, rp_uuid, generation, inventories, reserved_can_be_total=True):
        rp = self._rp(rp_uuid)
        if generation != rp.generation:
            raise exc.Conflict('resource provider generation conflict',
                               code=exc.CONCURRENT_UPDATE)
        records = {rc: make_inventory(rc, fields) for rc, fields in inventories.items()}
        prefix = 'Unable to update inventory for resource provider '
        for rc, inv in records.items():
            self._capacity_refused(rp, rc, inv, reserved_can_be_total, prefix)
        for rc in records:
            if rc not in self._rcs:
                raise exc.BadRequest('Unknown resource class in inventory for resource provider '
                                     '%s: No such resource class %s.' % (rp.uuid, rc))
        in_use = self._in_use_message(rp, [rc for rc in rp.inventories if rc not in records])
        if in_use:
            raise exc.Conflict('update conflict: ' + in_use, code=exc.INVENTORY_INUSE)
        rp.inventories = {rc: records[rc] for rc in self._rc_sort(records)}
        rp.generation += 1
        self.revision += 1
        return self._inventories_body(rp)

    def set_inventory(self, rp_uuid, rc, generation, fields, reserved_can_be_total=True):
        """Replace one class's record (PUT .../inventories/{rc}); omitted fields get defaults."""
        if self.faults.active:
            return self._with_faults('set_inventory', (), self._set_inventory, rp_uuid, rc,
                                     generation, fields, reserved_can_be_total)
        return self._set_inventory(rp_uuid, rc, generation, fields, reserved_can_be_total)

    def _set_inventory(self, rp_uuid, rc, generation, fields, reserved_can_be_total=True):
        rp = self._rp(rp_uuid)
        if generation != rp.generation:
            raise exc.Conflict('resource provider generation conflict',
                               code=exc.CONCURRENT_UPDATE)
        inv = make_inventory(rc, fields)
        self._capacity_refused(rp, rc, inv, reserved_can_be_total,
                               'Unable to update inventory for resource provider ')
        if rc not in self._rcs:
            raise exc.NotFound('No such resource class %s.' % rc)
        if rc not in rp.inventories:
            raise exc.BadRequest('No inventory record with resource class for resource provider '
                                 '%s: No inventory of class %s found.' % (rp.uuid, rc))
        rp.inventories[rc] = inv
        rp.generation += 1
        self.revision += 1
        body = dict(inv)
        body['resource_provider_generation'] = rp.generation
        return body

    def create_inventory(self, rp_uuid, rc, fields, reserved_can_be_total=True):
        """Add one class (POST .../inventories); 409 when the class is already there."""
        if self.faults.active:
            return self._with_faults('create_inventory', (), self._create_inventory, rp_uuid, rc,
                                     fields, reserved_can_be_total)
        return self._create_inventory(rp_uuid, rc, fields, reserved_can_be_total)

    def _create_inventory(self, rp_uuid, rc, fields, reserved_can_be_total=True):
        rp = self._rp(rp_uuid)
        inv = make_inventory(rc, fields)
        prefix = 'Unable to create inventory for resource provider '
        self._capacity_refused(rp, rc, inv, reserved_can_be_total, prefix)
        if rc not in self._rcs:
            raise exc.BadRequest('%s%s: No such resource class %s.' % (prefix, rp.uuid, rc))
        if rc in rp.inventories:
            raise exc.Conflict(
                'Update conflict: (sqlite3.IntegrityError) UNIQUE constraint failed: '
                'inventories.resource_provider_id, inventories.resource_class_id',
                code=exc.CONCURRENT_UPDATE)
        rp.inventories[rc] = inv
        rp.inventories = {name: rp.inventories[name] for name in self._rc_sort(rp.inventories)}
        rp.generation += 1
        self.revision += 1
        body = dict(inv)
        body['resource_provider_generation'] = rp.generation
        return body

    def delete_inventory(self, rp_uuid, rc):
        """Remove one class (DELETE .../inventories/{rc}); in use is a concurrent_update 409."""
        if self.faults.active:
            return self._with_faults('delete_inventory', (), self._delete_inventory, rp_uuid, rc)
        return self._delete_inventory(rp_uuid, rc)

    def _delete_inventory(self, rp_uuid, rc):
        rp = self._rp(rp_uuid)
        if rc not in self._rcs:
            raise exc.NotFound('No inventory of class %s found for delete: No such resource '
                               'class %s.' % (rc, rc))
        in_use = self._in_use_message(rp, [rc])
        if in_use:
            raise exc.Conflict('Unable to delete inventory of class %s: %s' % (rc, in_use),
                               code=exc.CONCURRENT_UPDATE)
        if rc not in rp.inventories:
            raise exc.NotFound('No inventory of class %s found for delete: No inventory of '
                               'class %s found for delete' % (rc, rc))
        del rp.inventories[rc]
        rp.generation += 1
        self.revision += 1

    def delete_inventories(self, rp_uuid):
        """Remove every class (DELETE .../inventories, 1.5+); 409 inventory.inuse if used."""
        if self.faults.active:
            return self._with_faults('delete_inventories', (), self._delete_inventories, rp_uuid)
        return self._delete_inventories(rp_uuid)

    def _delete_inventories(self, rp_uuid):
        rp = self._rp(rp_uuid)
        in_use = self._in_use_message(rp, list(rp.inventories))
        if in_use:
            raise exc.Conflict(in_use, code=exc.INVENTORY_INUSE)
        rp.inventories = {}
        rp.generation += 1
        self.revision += 1
