"""Resource classes: the standard ones of os-resource-classes and CUSTOM_ ones.

Ids follow the real service: standard classes are numbered in os-resource-classes order from
0, custom classes from 10000 (the next is one above the highest id). Error ordering (messages
that list several classes) follows these ids, as the real SQL does.
"""

import re

import os_resource_classes as orc

from placement_sim import exceptions as exc

MIN_CUSTOM_ID = 10000
CUSTOM_PATTERN = re.compile(r'^CUSTOM_[A-Z0-9_]+$')


_STANDARD = {name: index for index, name in enumerate(orc.STANDARDS)}


def standard_classes():
    """{name: id} for the standard classes."""
    return dict(_STANDARD)


class ResourceClassesMixin:
    """Resource class operations of `Placement` (routes /resource_classes)."""

    def _rc_id(self, name):
        rc_id = self._rcs.get(name)
        if rc_id is None:
            raise KeyError(name)
        return rc_id

    def _rc_sort(self, names):
        """Names ordered by resource class id (unknown names last, by name)."""
        rcs = self._rcs
        return sorted(names, key=lambda n: (rcs.get(n, 1 << 40), n))

    def resource_class_exists(self, name):
        """True when `name` is a known (standard or custom) class."""
        return name in self._rcs

    def list_resource_classes(self):
        """[{'name': ...}] ordered by id, standard classes first."""
        return [{'name': name} for name in
                sorted(self._rcs, key=self._rcs.__getitem__)]

    def get_resource_class(self, name):
        """{'name': name}; 404 when unknown."""
        if name not in self._rcs:
            raise exc.NotFound('No such resource class %s.' % name)
        return {'name': name}

    def create_resource_class(self, name):
        """Create a custom class (POST /resource_classes); 409 when it exists."""
        self._check_custom_rc_name(name)
        if name in self._rcs:
            raise exc.Conflict('Conflicting resource class already exists: %s' % name)
        self._add_rc(name)
        self.revision += 1
        return {'name': name}

    def ensure_resource_class(self, name):
        """Create-or-keep a custom class (PUT /resource_classes/{name} at 1.7+).

        Returns True when it was created, False when it existed.
        """
        self._check_custom_rc_name(name)
        if name in self._rcs:
            return False
        self._add_rc(name)
        self.revision += 1
        return True

    def update_resource_class(self, name, new_name):
        """Rename a custom class (PUT /resource_classes/{name} below 1.7)."""
        self._check_custom_rc_name(new_name)
        if name not in self._rcs:
            raise exc.NotFound('No such resource class %s.' % name)
        rc_id = self._rcs[name]
        if rc_id < MIN_CUSTOM_ID:
            raise exc.BadRequest('Cannot update standard resource class %s' % name)
        if new_name == name:
            return {'name': name}
        if new_name in self._rcs:
            raise exc.Conflict('Resource class already exists: %s' % new_name)
        self._rename_rc(name, new_name, rc_id)
        self.revision += 1
        return {'name': new_name}

    def delete_resource_class(self, name):
        """Delete a custom class; 400 standard, 409 in inventory, 404 unknown."""
        if name not in self._rcs:
            raise exc.NotFound('No such resource class %s.' % name)
        if self._rcs[name] < MIN_CUSTOM_ID:
            raise exc.BadRequest('Error in delete resource class: Cannot delete standard '
                                 'resource class %s.' % name)
        for rp in self._rps.values():
            if name in rp.inventories:
                raise exc.Conflict('Error in delete resource class: Cannot delete '
                                   'resource class %s. Class is in use in inventory.' % name)
        del self._rcs[name]
        self.revision += 1

    def _check_custom_rc_name(self, name):
        if not isinstance(name, str) or not CUSTOM_PATTERN.match(name):
            raise exc.BadRequest(
                'Resource class name %r is not valid: custom resource class names must start '
                'with CUSTOM_ and contain only A-Z, 0-9 and _ (for example CUSTOM_GOLD).'
                % (name,))

    def _add_rc(self, name):
        top = max(self._rcs.values(), default=0)
        self._rcs[name] = MIN_CUSTOM_ID if top < MIN_CUSTOM_ID else top + 1

    def _rename_rc(self, name, new_name, rc_id):
        """Rename everywhere: the real rows refer to the class by id, so they follow."""
        del self._rcs[name]
        self._rcs[new_name] = rc_id
        for rp in self._rps.values():
            if name in rp.inventories:
                rp.inventories = {new_name if rc == name else rc: inv
                                  for rc, inv in rp.inventories.items()}
            if name in rp.usage:
                rp.usage[new_name] = rp.usage.pop(name)
            for res in rp.allocs.values():     # shared with the consumers' records
                if name in res:
                    res[new_name] = res.pop(name)
