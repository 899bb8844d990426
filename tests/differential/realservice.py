"""The real openstack-placement 16.0.0 WSGI app, in-process on in-memory SQLite.

One process has one in-memory database (oslo.db's engine facade is process-global), so the app is
made once per process and every sequence uses fresh uuids and names (see `calls.Binding`).
Startup: about 0.7 s of imports and 0.05 s for the schema and the standard traits and classes.

Speed: the real service validates each of its own JSON schemas against the metaschema on every
request (`jsonschema.validate` calls `check_schema`), about 40% of a write. `_SchemaOnce` does that
check once per schema object and then validates exactly as `jsonschema.validate` does (same
validator class, same `best_match` error), so answers are unchanged and the suite runs faster.
oslo.db also sleeps (`time.sleep(0)`, a thread yield) on every connection checkout, which costs
about a millisecond each on a busy machine; one process with one thread has nothing to yield to.
"""
import logging
import types

import jsonschema

_APP = []


def real_app():
    """The process's real Placement app (created on first use), no-auth, legacy policy."""
    if not _APP:
        _APP.append(make_app(fast=True))
    return _APP[0]


class _SchemaOnce(object):
    """`jsonschema.validate` with the metaschema check done once per schema object."""

    LIMIT = 1024

    def __init__(self):
        self._checked = {}

    def validate(self, instance, schema, cls=None, *args, **kwargs):
        if cls is None:
            cls = jsonschema.validators.validator_for(schema)
        key = id(schema)
        if self._checked.get(key) is not schema:
            cls.check_schema(schema)
            if len(self._checked) < self.LIMIT:
                self._checked[key] = schema
        error = jsonschema.exceptions.best_match(
            cls(schema, *args, **kwargs).iter_errors(instance))
        if error is not None:
            raise error


def _speed_up_schema_checks():
    from placement import util
    fast = _SchemaOnce()
    util.jsonschema = types.SimpleNamespace(
        validate=fast.validate, ValidationError=jsonschema.ValidationError,
        FormatChecker=jsonschema.FormatChecker)


def _no_thread_yield():
    from oslo_db.sqlalchemy import engines
    engines._thread_yield = lambda *args, **kwargs: None


def make_app(fast=True):
    """A real Placement app; `fast` applies the two answer-preserving speed-ups above.

    Call it once per process (the database and oslo.db's configuration are process-wide).
    """
    from oslo_config import cfg
    from oslo_policy import opts as policy_opts
    from placement import conf as placement_conf
    from placement import db_api
    from placement import deploy
    # The real service logs every refused allocation at WARNING; keep test output clean.
    logging.getLogger('placement').setLevel(logging.ERROR)
    conf = cfg.ConfigOpts()
    placement_conf.register_opts(conf)
    policy_opts.set_defaults(conf, enforce_new_defaults=False)
    conf.set_override('connection', 'sqlite://', group='placement_database')
    conf([], default_config_files=[])
    conf.set_override('sync_on_startup', True, group='placement_database')
    conf.set_override('auth_strategy', 'noauth2', group='api')
    if fast:
        _no_thread_yield()
    db_api.configure(conf)
    if fast:
        _speed_up_schema_checks()
    return deploy.loadapp(conf)
