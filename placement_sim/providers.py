"""Resource providers: create, read, rename, re-parent, delete, list with filters."""

import uuid as uuidlib

from placement_sim import exceptions as exc
from placement_sim.records import Provider

KEEP = object()   # update_provider: leave the parent as it is
MAX_NAME = 200


def _canonical_uuid(value, what):
    try:
        return str(uuidlib.UUID(value))
    except (TypeError, ValueError, AttributeError):
        raise exc.BadRequest('Malformed %s: %r is not a uuid.' % (what, value))


class ProvidersMixin:
    """Provider operations of `Placement` (routes /resource_providers)."""

    def _rp(self, uuid):
        """The provider record; 404 with the text the object layer raises."""
        rp = self._rps.get(uuid)
        if rp is None:
            raise exc.NotFound('No resource provider with uuid %s found' % uuid)
        return rp

    def _new_uuid(self):
        return str(uuidlib.UUID(int=self._rng.getrandbits(128), version=4))

    def create_provider(self, name, uuid=None, parent_provider_uuid=None):
        """Create a provider (generation 0); returns it as the REST API shows it at 1.14+."""
        if self.faults.active:
            return self._with_faults('create_provider', (), self._create_provider, name, uuid,
                                     parent_provider_uuid)
        return self._create_provider(name, uuid, parent_provider_uuid)

    def _create_provider(self, name, uuid=None, parent_provider_uuid=None):
        if not isinstance(name, str) or len(name) > MAX_NAME:
            raise exc.BadRequest('Provider name must be a string of at most %d characters, '
                                 'got %r.' % (MAX_NAME, name))
        uuid = self._new_uuid() if not uuid else _canonical_uuid(uuid, 'resource provider uuid')
        if not name:
            # The REST schema lets "" through; the real object layer refuses it on create.
            self._create_refused(name, uuid, 'name is required')
        parent = None
        if parent_provider_uuid is not None:
            if parent_provider_uuid == uuid:
                self._create_refused(name, uuid, 'parent provider UUID cannot be same as UUID. '
                                     'Please set parent provider UUID to None if there is no '
                                     'parent.')
            parent = self._rps.get(parent_provider_uuid)
            if parent is None:
                self._create_refused(name, uuid, 'parent provider UUID does not exist.')
        if uuid in self._rps:
            raise exc.Conflict('Conflicting resource provider uuid: %s already exists.' % uuid,
                               code=exc.DUPLICATE_NAME)
        if name in self._names:
            raise exc.Conflict('Conflicting resource provider name: %s already exists.' % name,
                               code=exc.DUPLICATE_NAME)
        self._rp_seq += 1
        if parent is None:
            rp = Provider(self._rp_seq, uuid, name, None, uuid)
        else:
            rp = Provider(self._rp_seq, uuid, name, parent.uuid, parent.root)
            parent.children[uuid] = None
        self._rps[uuid] = rp
        self._names[name] = uuid
        self.revision += 1
        return rp.as_dict()

    @staticmethod
    def _create_refused(name, uuid, reason):
        raise exc.BadRequest('Unable to create resource provider "%s", %s: Object action create '
                             'failed because: %s' % (name, uuid, reason))

    def get_provider(self, uuid):
        """The provider as the REST API shows it (uuid, name, generation, parent, root)."""
        if self.faults.active:
            self._read_fault('get_provider', ())
        return self._rp(uuid).as_dict()

    def provider_exists(self, uuid):
        """True when a provider with this uuid exists."""
        return uuid in self._rps

    def update_provider(self, uuid, name, parent_provider_uuid=KEEP, allow_reparenting=True):
        """Rename and/or (re-/un-)parent a provider; no generation bump.

        `parent_provider_uuid` left out keeps the parent. `allow_reparenting=False` gives the
        rules before microversion 1.37 (a parent may only be set where there was none).
        """
        if self.faults.active:
            return self._with_faults('update_provider', (), self._update_provider, uuid, name,
                                     parent_provider_uuid, allow_reparenting)
        return self._update_provider(uuid, name, parent_provider_uuid, allow_reparenting)

    def _update_provider(self, uuid, name, parent_provider_uuid=KEEP, allow_reparenting=True):
        rp = self._rp(uuid)
        if not isinstance(name, str) or len(name) > MAX_NAME:
            # "" is accepted: the real update path has no name check (only the schema's length).
            raise exc.BadRequest('Provider name must be a string of at most %d characters, '
                                 'got %r.' % (MAX_NAME, name))
        new_parent = rp.parent if parent_provider_uuid is KEEP else parent_provider_uuid
        subtree = ()
        if new_parent is not None:
            parent = self._rps.get(new_parent)
            if parent is None:
                self._save_refused(uuid, 'create', 'parent provider UUID does not exist.')
            if rp.parent is not None and rp.parent != new_parent and not allow_reparenting:
                self._save_refused(uuid, 'update',
                                   're-parenting a provider is not currently allowed.')
            subtree = self._subtree(rp)
            if new_parent in subtree:
                self._save_refused(uuid, 'update',
                                   'creating loop in the provider tree is not allowed.')
            new_root = parent.root
        else:
            new_root = rp.root
            if rp.parent is not None:
                if not allow_reparenting:
                    self._save_refused(uuid, 'update',
                                       'un-parenting a provider is not currently allowed.')
                subtree = self._subtree(rp)
                new_root = rp.uuid
        owner = self._names.get(name)
        if owner is not None and owner != uuid:
            raise exc.Conflict('Conflicting resource provider %s already exists.' % name,
                               code=exc.DUPLICATE_NAME)
        del self._names[rp.name]
        rp.name = name
        self._names[name] = uuid
        if rp.parent != new_parent:
            if rp.parent is not None:
                del self._rps[rp.parent].children[uuid]
            if new_parent is not None:
                self._rps[new_parent].children[uuid] = None
            rp.parent = new_parent
        for member in subtree:
            self._rps[member].root = new_root
        self.revision += 1
        return rp.as_dict()

    @staticmethod
    def _save_refused(uuid, action, reason):
        raise exc.BadRequest('Unable to save resource provider %s: Object action %s failed '
                             'because: %s' % (uuid, action, reason))

    def _subtree(self, rp):
        """Uuids of `rp` and all its descendants (a dict used as an ordered set)."""
        seen = {rp.uuid: None}
        todo = [rp]
        while todo:
            node = todo.pop()
            for child in node.children:
                seen[child] = None
                todo.append(self._rps[child])
        return seen

    def delete_provider(self, uuid):
        """Delete a provider with its inventory, trait and aggregate links."""
        if self.faults.active:
            return self._with_faults('delete_provider', (), self._delete_provider, uuid)
        return self._delete_provider(uuid)

    def _delete_provider(self, uuid):
        rp = self._rps.get(uuid)
        if rp is None:
            raise exc.NotFound('No resource provider with uuid %s found for delete' % uuid)
        if rp.children:
            raise exc.Conflict('Unable to delete parent resource provider %s: It has child '
                               'resource providers.' % uuid,
                               code=exc.PROVIDER_CANNOT_DELETE_PARENT)
        if rp.allocs:
            raise exc.Conflict('Unable to delete resource provider %s: Resource provider has '
                               'allocations.' % uuid, code=exc.PROVIDER_IN_USE)
        if rp.parent is not None:
            del self._rps[rp.parent].children[uuid]
        del self._rps[uuid]
        del self._names[rp.name]
        self.revision += 1

    def list_providers(self, name=None, uuid=None, member_of=None, forbidden_aggs=None,
                       required_traits=None, forbidden_traits=None, resources=None,
                       in_tree=None):
        """Providers matching every given filter, in creation order.

        `member_of` is a list of lists of aggregate uuids (each inner list any-of, all lists
        required), `required_traits` a list of trait-name collections (each any-of),
        `forbidden_aggs`/`forbidden_traits` collections, `resources` {rc: amount} (providers
        with room for the amount, honouring min_unit/max_unit/step_size).
        """
        if self.faults.active:
            self._read_fault('list_providers', ())
        for rc in resources or ():
            if rc not in self._rcs:
                raise exc.BadRequest('Invalid resource class in resources parameter: No such '
                                     'resource class %s.' % rc)
        self._check_traits_exist(required_traits, forbidden_traits,
                                 'Invalid trait(s) in "required" parameter: ')
        root = None
        if in_tree:
            tree_rp = self._rps.get(in_tree)
            if tree_rp is None:
                return []
            root = tree_rp.root
        out = []
        for rp in self._rps.values():
            if name and rp.name != name or uuid and rp.uuid != uuid:
                continue
            if root is not None and rp.root != root:
                continue
            if not self._rp_matches(rp, member_of, forbidden_aggs, required_traits,
                                    forbidden_traits):
                continue
            if resources and not all(self._has_room(rp, rc, amount)
                                     for rc, amount in resources.items()):
                continue
            out.append(rp.as_dict())
        return out

    @staticmethod
    def _rp_matches(rp, member_of, forbidden_aggs, required_traits, forbidden_traits):
        for any_of in member_of or ():
            if rp.aggregates.isdisjoint(any_of):
                return False
        if forbidden_aggs and not rp.aggregates.isdisjoint(forbidden_aggs):
            return False
        for any_of in required_traits or ():
            if rp.traits.isdisjoint(any_of):
                return False
        if forbidden_traits and not rp.traits.isdisjoint(forbidden_traits):
            return False
        return True

    @staticmethod
    def _has_room(rp, rc, amount):
        inv = rp.inventories.get(rc)
        if inv is None:
            return False
        room = (inv['total'] - inv['reserved']) * inv['allocation_ratio']
        return (rp.usage.get(rc, 0) + amount <= room and inv['min_unit'] <= amount
                <= inv['max_unit'] and amount % inv['step_size'] == 0)
