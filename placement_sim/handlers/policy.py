"""Placement's default policy, and the no-auth request context.

Facts (openstack-placement 16.0.0, placement/policies and placement/auth.py):
every rule is project-scoped, so a system-scoped token is always refused;
most actions need the `admin` or `service` role; `placement:usages` also
lets a `reader` of the target project in; `placement:reshaper:reshape`
needs `service` (or `admin` while the deprecated rules are still honoured,
which is the default, "legacy" mode).

Modes: `legacy` (the real default, enforce_new_defaults=False), `secure`
(enforce_new_defaults=True) and `open` (every rule is '@', as placement's
OpenPolicyFixture sets them).
"""

MODES = ('legacy', 'secure', 'open')

USAGES = 'placement:usages'
RESHAPE = 'placement:reshaper:reshape'


class Context(object):
    """Who is asking: user, project, roles and whether system-scoped."""

    __slots__ = ('user_id', 'project_id', 'roles', 'system_scope')

    def __init__(self, user_id, project_id, roles, system_scope):
        self.user_id = user_id
        self.project_id = project_id
        self.roles = roles
        self.system_scope = system_scope


def context_from_environ(environ):
    """Build the Context the way placement's NoAuthMiddleware does.

    Returns None when there is no X-Auth-Token header (answered with 401
    everywhere except at '/').
    """
    token = environ.get('HTTP_X_AUTH_TOKEN')
    if token is None:
        return None
    user_id, _sep, project_id = token.partition(':')
    project_id = project_id or user_id
    if 'HTTP_X_ROLES' in environ:
        roles = frozenset(
            role.strip().lower() for role in environ['HTTP_X_ROLES'].split(','))
    elif user_id == 'admin':
        roles = frozenset(('admin',))
    else:
        roles = frozenset()
    system_scope = bool(environ.get('HTTP_OPENSTACK_SYSTEM_SCOPE'))
    explicit_project = (environ.get('HTTP_X_PROJECT_ID') or
                        environ.get('HTTP_X_TENANT_ID'))
    if explicit_project:
        project_id = explicit_project
    elif system_scope:
        project_id = None
    return Context(user_id, project_id, roles, system_scope)


class Policy(object):
    """Decides whether a context may perform an action."""

    def __init__(self, mode='legacy'):
        if mode not in MODES:
            raise ValueError('unknown policy mode %r; use one of: %s'
                             % (mode, ', '.join(MODES)))
        self.mode = mode

    def allows(self, action, context, target=None):
        if context.system_scope:
            return False
        if self.mode == 'open':
            return True
        roles = context.roles
        if action == RESHAPE:
            if 'service' in roles:
                return True
            return self.mode == 'legacy' and 'admin' in roles
        if 'admin' in roles or 'service' in roles:
            return True
        if action == USAGES and 'reader' in roles and target:
            return target.get('project_id') == context.project_id
        return False
