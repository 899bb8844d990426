"""Traits: the standard ones of os-traits, CUSTOM_ ones, and the traits of each provider."""

import re

import os_traits

from placement_sim import exceptions as exc

CUSTOM_TRAIT = re.compile(r'^CUSTOM_[A-Z0-9_]+$')
MAX_TRAIT_LENGTH = 255
INVALID_TRAIT = ('The trait is invalid. A valid trait must be no longer than 255 characters, '
                 'start with the prefix "CUSTOM_" and use following characters: "A"-"Z", '
                 '"0"-"9" and "_"')


_STANDARD = {name: index for index, name in enumerate(sorted(os_traits.get_traits()), 1)}


def standard_traits():
    """{name: id} of every os-traits trait (ids in name order; the real order of standard
    traits depends on the hash seed, so any stable order is as good)."""
    return dict(_STANDARD)


class TraitsMixin:
    """Trait operations of `Placement` (routes /traits and /resource_providers/{u}/traits)."""

    def list_traits(self, name_in=None, prefix=None, associated=None):
        """Trait names in id order (standard ones, then custom ones in creation order);
        filters: a collection of names, a prefix, associated or not."""
        names = self._traits
        if name_in is not None:
            names = [n for n in name_in if n in self._traits]
        if prefix is not None:
            names = [n for n in names if n.startswith(prefix)]
        if associated is not None:
            used = set()
            for rp in self._rps.values():
                used |= rp.traits
            names = [n for n in names if (n in used) == bool(associated)]
        return self._trait_order(set(names))

    def _trait_order(self, names):
        """Names in trait id order, as the real service lists them (no ORDER BY, id order)."""
        ids = self._traits
        return sorted(names, key=ids.__getitem__)

    def trait_exists(self, name):
        """True when the trait is known."""
        return name in self._traits

    def get_trait(self, name):
        """None when the trait exists; 404 'No such trait(s): X.' otherwise."""
        if name not in self._traits:
            raise exc.NotFound('No such trait(s): %s.' % name)

    def ensure_trait(self, name):
        """Create a custom trait if missing (PUT /traits/{name}); True when it was created."""
        if (not isinstance(name, str) or len(name) > MAX_TRAIT_LENGTH
                or not CUSTOM_TRAIT.match(name)):
            raise exc.BadRequest(INVALID_TRAIT)
        if name in self._traits:
            return False
        self._traits[name] = max(self._traits.values(), default=0) + 1
        self.revision += 1
        return True

    create_trait = ensure_trait

    def delete_trait(self, name):
        """Delete a custom trait: 404 unknown, 400 standard, 409 used by a provider."""
        if name not in self._traits:
            raise exc.NotFound('No such trait(s): %s.' % name)
        if not name.startswith('CUSTOM_'):
            raise exc.BadRequest('Cannot delete standard trait %s.' % name)
        for rp in self._rps.values():
            if name in rp.traits:
                raise exc.Conflict('The trait %s is in use by a resource provider.' % name)
        del self._traits[name]
        self.revision += 1

    def get_provider_traits(self, rp_uuid):
        """{'traits': [names in trait id order], 'resource_provider_generation': g}."""
        if self.faults.active:
            self._read_fault('get_provider_traits', ())
        rp = self._rps.get(rp_uuid)
        if rp is None:
            raise exc.NotFound('No resource provider with uuid %s found: No resource provider '
                               'with uuid %s found' % (rp_uuid, rp_uuid))
        return {'traits': self._trait_order(rp.traits),
                'resource_provider_generation': rp.generation}

    def set_provider_traits(self, rp_uuid, generation, traits):
        """Replace a provider's traits; the generation is bumped only if the set changed."""
        if self.faults.active:
            return self._with_faults('set_provider_traits', (), self._set_provider_traits,
                                     rp_uuid, generation, traits)
        return self._set_provider_traits(rp_uuid, generation, traits)

    def _set_provider_traits(self, rp_uuid, generation, traits):
        rp = self._rp(rp_uuid)
        if rp.generation != generation:
            raise exc.Conflict("Resource provider's generation already changed. Please update "
                               "the generation and try again.", code=exc.CONCURRENT_UPDATE)
        unknown = sorted(set(traits) - set(self._traits))
        if unknown:
            raise exc.BadRequest('No such trait %s' % ', '.join(unknown))
        wanted = set(traits)
        if wanted != rp.traits:
            rp.traits = wanted
            rp.generation += 1
            self.revision += 1
        return {'traits': self._trait_order(wanted),
                'resource_provider_generation': rp.generation}

    def delete_provider_traits(self, rp_uuid):
        """Remove all of a provider's traits (bumps the generation if it had any)."""
        rp = self._rp(rp_uuid)
        if rp.traits:
            rp.traits = set()
            rp.generation += 1
            self.revision += 1

    def _check_traits_exist(self, required, forbidden, prefix):
        """400 naming the first unknown trait of the any-of groups, then of `forbidden`."""
        names = [name for group in required or () for name in group]
        names.extend(forbidden or ())
        for name in names:
            if name not in self._traits:
                raise exc.BadRequest('%sNo such trait(s): %s.' % (prefix, name))
