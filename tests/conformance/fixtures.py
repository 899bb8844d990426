"""Gabbi fixtures that give placement's own gabbi files their starting state on placement_sim.

Placement's gabbi files name fixture classes (`fixtures: [AllocationFixture]`); gabbi looks them
up in this module. Each class here has the same name as one in
`placement/tests/functional/fixtures/gabbits.py`, exports the same `$ENVIRON` variables and puts
the same providers, inventories, traits, aggregates and allocations in place, through the Python
API of a fresh `placement_sim.Placement()` per YAML file (see `seeders.py` for how each write
matches the real fixture's effect on generations). Uuids are reproducible (seeded by the fixture
name), and the environment is restored when the file is done.

`setup_app()` is the intercept that gabbi calls while it builds the tests: it returns a small WSGI
app that forwards each request to the app of the fixture running at that moment.

`BACKEND` makes the Placement for a file; `realcheck.py` swaps it to check these fixtures against
the real service.
"""
import inspect
import os

from gabbi import fixture

from tests.conformance import seeders

ENV_BASE = (
    'RP_UUID', 'RP_NAME', 'RP_UUID1', 'RP_NAME1', 'RP_UUID2', 'RP_NAME2', 'PROJECT_ID',
    'ADMIN_PROJECT_ID', 'SERVICE_PROJECT_ID', 'USER_ID', 'PROJECT_ID_ALT', 'USER_ID_ALT',
    'INSTANCE_UUID', 'MIGRATION_UUID', 'CONSUMER_UUID', 'PARENT_PROVIDER_UUID',
    'ALT_PARENT_PROVIDER_UUID',
)
CUSTOM_CLASSES = {
    'CUSTOM_RES_CLASS': 'CUSTOM_IRON_NFV',
    'CUSTOM_RES_CLASS1': 'CUSTOM_IRON_NFV1',
    'CUSTOM_RES_CLASS2': 'CUSTOM_IRON_NFV2',
}


class SimBackend(object):
    """A fresh placement_sim service and its WSGI app, for one YAML file."""

    def __init__(self, fixture_name, app_options):
        from placement_sim import Placement
        from placement_sim.wsgi import make_app
        self.placement = Placement()
        accepted = inspect.signature(make_app).parameters
        # Options make_app does not know yet are left out: the tests that need them fail and
        # are listed as expected failures in exclusions.py.
        self.ignored = sorted(name for name in app_options if name not in accepted)
        self.app = make_app(self.placement, **{name: value for name, value in app_options.items()
                                               if name in accepted})
        self.seeder = seeders.PythonApiSeeder(self.placement)

    def stop(self):
        self.app = None


BACKEND = SimBackend


class _Active(object):
    """The app that requests go to while a fixture runs."""

    app = None


class _Dispatch(object):
    """WSGI app handed to gabbi at build time; forwards to the running fixture's app."""

    def __call__(self, environ, start_response):
        if _Active.app is None:
            raise RuntimeError('no conformance fixture is running: gabbi tests of '
                               'tests/conformance must run inside their YAML file\'s suite')
        return _Active.app(environ, start_response)


def setup_app():
    return _Dispatch()


class APIFixture(fixture.GabbiFixture):
    """An empty Placement (standard traits and resource classes only), admin-only policy."""

    app_options = {}

    def start_fixture(self):
        self.ids = seeders.UuidSource('conformance:%s' % type(self).__name__)
        self._saved_env = {}
        self.backend = BACKEND(type(self).__name__, dict(self.app_options))
        for name in ENV_BASE:
            self.export(name, self.ids.new())
        for name, value in sorted(CUSTOM_CLASSES.items()):
            self.export(name, value)
        self.seed(self.backend.seeder)
        _Active.app = self.backend.app

    def stop_fixture(self):
        _Active.app = None
        self.backend.stop()
        for name, value in sorted(self._saved_env.items()):
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    def export(self, name, value):
        if name not in self._saved_env:
            self._saved_env[name] = os.environ.get(name)
        os.environ[name] = value
        return value

    def seed(self, s):
        """Put the fixture's data in place through the seeder `s`."""

    def provider(self, s, name, *aggregates, parent=None, uuid=None):
        """Create a provider; its uuid is the sentinel for its name unless given."""
        return s.provider(name, uuid or self.ids.named(name), parent=parent,
                          aggregates=aggregates)


class AllocationFixture(APIFixture):
    """One provider (DISK_GB 2048 in steps of 10, VCPU 10) with three consumers' allocations."""

    def seed(self, s):
        alt_user = self.export('ALT_USER_ID', self.ids.new())
        project = os.environ['PROJECT_ID']
        user = os.environ['USER_ID']
        rp = self.provider(s, os.environ['RP_NAME'], uuid=os.environ['RP_UUID'])
        s.inventory(rp, 'DISK_GB', 2048, step_size=10, min_unit=10, max_unit=1000)
        s.inventory(rp, 'VCPU', 10, max_unit=10)
        s.allocate(self.export('CONSUMER_0', self.ids.new()), rp, {'DISK_GB': 1000},
                   project, user)
        s.allocate(self.export('CONSUMER_ID', self.ids.new()), rp, {'VCPU': 6}, project, user)
        s.allocate(self.export('ALT_CONSUMER_ID', self.ids.new()), rp,
                   {'DISK_GB': 20, 'VCPU': 1}, project, alt_user)
        self.export('ALT_RP_UUID', self.ids.new())
        self.export('ALT_RP_NAME', self.ids.new())


class SharedStorageFixture(APIFixture):
    """cn1/cn2 with NUMA and PF children, two sharing storage providers in one aggregate."""

    def seed(self, s):
        agg = self.export('AGG_UUID', self.ids.new())
        names = {}
        for name in ('cn1', 'cn2', 'ss', 'ss2'):
            names[name] = self.provider(s, name, agg)
        for cn, numa in (('cn1', 'numa1_1'), ('cn1', 'numa1_2'), ('cn2', 'numa2_1'),
                         ('cn2', 'numa2_2')):
            names[numa] = self.provider(s, numa, parent=names[cn])
        for numa, pf in (('numa1_1', 'pf1_1'), ('numa1_2', 'pf1_2'), ('numa2_1', 'pf2_1'),
                         ('numa2_2', 'pf2_2')):
            names[pf] = self.provider(s, pf, parent=names[numa])
        for name, rp in names.items():
            self.export('%s_UUID' % name.upper(), rp)
        for cn in ('cn1', 'cn2'):
            s.inventory(names[cn], 'VCPU', 24, allocation_ratio=16.0)
            s.inventory(names[cn], 'MEMORY_MB', 128 * 1024, allocation_ratio=1.5)
        s.traits(names['cn1'], 'HW_CPU_X86_SSE', 'HW_CPU_X86_SSE2')
        s.inventory(names['cn2'], 'DISK_GB', 2000, reserved=100, allocation_ratio=1.0)
        for shared in ('ss', 'ss2'):
            s.inventory(names[shared], 'DISK_GB', 2000, reserved=100, allocation_ratio=1.0)
            s.traits(names[shared], 'MISC_SHARES_VIA_AGGREGATE')
        for pf in ('pf1_1', 'pf1_2', 'pf2_1', 'pf2_2'):
            s.inventory(names[pf], 'SRIOV_NET_VF', 8, allocation_ratio=1.0)


class NUMAAggregateFixture(APIFixture):
    """Two resourceless compute nodes with NUMA children; sharing storage by aggregates A and C."""

    def seed(self, s):
        agg_a = self.export('AGGA_UUID', self.ids.new())
        agg_b = self.export('AGGB_UUID', self.ids.new())
        agg_c = self.export('AGGC_UUID', self.ids.new())
        rps = {
            'cn1': self.provider(s, 'cn1', agg_a),
            'cn2': self.provider(s, 'cn2', agg_a, agg_b),
            'ss1': self.provider(s, 'ss1', agg_a),
            'ss2': self.provider(s, 'ss2', agg_c),
        }
        rps['numa1_1'] = self.provider(s, 'numa1_1', agg_c, parent=rps['cn1'])
        rps['numa1_2'] = self.provider(s, 'numa1_2', parent=rps['cn1'])
        rps['numa2_1'] = self.provider(s, 'numa2_1', parent=rps['cn2'])
        rps['numa2_2'] = self.provider(s, 'numa2_2', parent=rps['cn2'])
        for name, rp in rps.items():
            self.export('%s_UUID' % name.upper(), rp)
        for numa in ('numa1_1', 'numa1_2', 'numa2_1', 'numa2_2'):
            s.inventory(rps[numa], 'VCPU', 24, allocation_ratio=16.0)
        for shared in ('ss1', 'ss2'):
            s.inventory(rps[shared], 'DISK_GB', 2000, reserved=100, allocation_ratio=1.0)
            s.traits(rps[shared], 'MISC_SHARES_VIA_AGGREGATE')


class NUMANetworkFixture(APIFixture):
    """cn1 (resources in NUMA children, devices, network agents) and cn2 with NIC/PF subtrees."""

    cn1 = None
    cn2 = None

    def seed(self, s):
        self.make_entities(s)

    def make_entities(self, s):
        agg_a = self.export('AGGA_UUID', self.ids.new())
        ss1 = self.provider(s, 'ss1', agg_a)
        s.traits(ss1, 'MISC_SHARES_VIA_AGGREGATE')
        s.inventory(ss1, 'DISK_GB', 2000)
        self.export('SS1_UUID', ss1)
        cn1 = self.cn1 or self.provider(s, 'cn1', agg_a)
        s.aggregates(cn1, [agg_a])
        s.traits(cn1, 'COMPUTE_VOLUME_MULTI_ATTACH')
        self.export('CN1_UUID', cn1)
        consumer_user, consumer_project = 'numafx-user', 'numafx-project'
        numas = self._numa_nodes(s, cn1, consumer_project, consumer_user)
        self._cn1_devices(s, cn1, numas)
        cn2 = self.cn2 or self.provider(s, 'cn2')
        s.aggregates(cn2, [agg_a])
        s.inventory(cn2, 'VCPU', 8)
        s.allocate(self.ids.new(), cn2, {'VCPU': 3}, consumer_project, consumer_user)
        s.inventory(cn2, 'MEMORY_MB', 2048, min_unit=1024, step_size=128)
        s.inventory(cn2, 'DISK_GB', 1000)
        s.traits(cn2, 'CUSTOM_FOO')
        self.export('CN2_UUID', cn2)
        self._cn2_nics(s, cn2)

    def _numa_nodes(self, s, cn1, project, user):
        numas = []
        for i in (0, 1):
            numa = self.provider(s, 'numa%d' % i, parent=cn1)
            traits = ['HW_NUMA_ROOT'] + (['CUSTOM_FOO'] if i == 1 else [])
            s.traits(numa, *traits)
            s.inventory(numa, 'VCPU', 4)
            numas.append(numa)
            self.export('NUMA%d_UUID' % i, numa)
        s.inventory(numas[0], 'MEMORY_MB', 2048, min_unit=512, step_size=256)
        s.inventory(numas[1], 'MEMORY_MB', 2048, min_unit=256, max_unit=1024)
        s.allocate(self.ids.new(), numas[0], {'VCPU': 2}, project, user)
        return numas

    def _cn1_devices(self, s, cn1, numas):
        fpga = self.provider(s, 'fpga0', parent=numas[0])
        s.inventory(fpga, 'FPGA', 1)
        self.export('FPGA0_UUID', fpga)
        pgpu = self.provider(s, 'pgpu0', parent=numas[0])
        s.inventory(pgpu, 'VGPU', 8)
        self.export('PGPU0_UUID', pgpu)
        for i in (0, 1):
            fpga = self.provider(s, 'fpga1_%d' % i, parent=numas[1])
            s.inventory(fpga, 'FPGA', 1)
            self.export('FPGA1_%d_UUID' % i, fpga)
        agent = self.provider(s, 'sriov_agent', parent=cn1)
        s.traits(agent, 'CUSTOM_VNIC_TYPE_DIRECT')
        self.export('SRIOV_AGENT_UUID', agent)
        for i in (1, 2):
            dev = self.provider(s, 'esn%d' % i, parent=agent)
            s.traits(dev, 'CUSTOM_PHYSNET%d' % i)
            s.inventory(dev, 'NET_BW_EGR_KILOBIT_PER_SEC', 10000 * i)
            self.export('ESN%d_UUID' % i, dev)
        agent = self.provider(s, 'ovs_agent', parent=cn1)
        s.traits(agent, 'CUSTOM_VNIC_TYPE_NORMAL')
        self.export('OVS_AGENT_UUID', agent)
        dev = self.provider(s, 'br_int', parent=agent)
        s.traits(dev, 'CUSTOM_PHYSNET0')
        s.inventory(dev, 'NET_BW_EGR_KILOBIT_PER_SEC', 1000)
        self.export('BR_INT_UUID', dev)

    def _cn2_nics(self, s, cn2):
        nics = []
        for i in (1, 2, 3):
            nic = self.provider(s, 'nic%d' % i, parent=cn2)
            s.traits(nic, 'CUSTOM_HW_NIC_ROOT')
            nics.append(nic)
            self.export('NIC%s_UUID' % i, nic)
        pfs = [(0, '1_1', 1, 4), (0, '1_2', 2, 4)]
        pfs += [(1, '2_%d' % (i + 1), (i % 2) + 1, 2) for i in (0, 1, 2, 3)]
        pfs.append((2, '3_1', 1, 8))
        for nic_index, suffix, physnet, vfs in pfs:
            pf = self.provider(s, 'pf%s' % suffix, parent=nics[nic_index])
            s.traits(pf, 'CUSTOM_PHYSNET%d' % physnet)
            s.inventory(pf, 'CUSTOM_VF', vfs)
            self.export('PF%s_UUID' % suffix, pf)


class DeepNUMANetworkFixture(NUMANetworkFixture):
    """NUMANetworkFixture whose compute nodes have a parent each and a common grandparent."""

    def make_entities(self, s):
        grandparent = self.provider(s, 'gp1')
        parent1 = self.provider(s, 'p1', parent=grandparent)
        parent2 = self.provider(s, 'p2', parent=grandparent)
        self.cn1 = self.provider(s, 'cn1', parent=parent1)
        self.cn2 = self.provider(s, 'cn2', parent=parent2)
        super().make_entities(s)


class NonSharedStorageFixture(APIFixture):
    """Three compute nodes with local VCPU, MEMORY_MB and DISK_GB; three unused aggregates."""

    def seed(self, s):
        for name in ('AGGA_UUID', 'AGGB_UUID', 'AGGC_UUID'):
            self.export(name, self.ids.new())
        for name in ('cn1', 'cn2', 'cn3'):
            self.export('%s_UUID' % name.upper(), self.provider(s, name))
        for name in ('cn1', 'cn2', 'cn3'):
            rp = os.environ['%s_UUID' % name.upper()]
            s.inventory(rp, 'VCPU', 24)
            s.inventory(rp, 'MEMORY_MB', 128 * 1024)
            s.inventory(rp, 'DISK_GB', 2000)


class CORSFixture(APIFixture):
    """APIFixture with CORS on for http://valid.example.com."""

    app_options = {'cors_allowed_origins': ('http://valid.example.com',),
                   'cors_allow_headers': ('openstack-api-version',)}


class GranularFixture(APIFixture):
    """Three compute nodes and three sharing providers across aggregates A, B and C."""

    def seed(self, s):
        s.resource_class('CUSTOM_NET_MBPS')
        agg_a = self.export('AGGA', self.ids.named('aggA'))
        agg_b = self.export('AGGB', self.ids.named('aggB'))
        agg_c = self.export('AGGC', self.ids.named('aggC'))
        left = self.export('CN_LEFT', self.provider(s, 'cn_left', agg_a))
        for rc, total in (('VCPU', 8), ('MEMORY_MB', 4096), ('DISK_GB', 500), ('VGPU', 8),
                          ('SRIOV_NET_VF', 8), ('CUSTOM_NET_MBPS', 4000)):
            s.inventory(left, rc, total)
        s.traits(left, 'HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2', 'HW_GPU_API_DXVA',
                 'HW_NIC_DCB_PFC', 'CUSTOM_FOO')
        middle = self.export('CN_MIDDLE', self.provider(s, 'cn_middle', agg_a, agg_b))
        for rc, total in (('VCPU', 8), ('MEMORY_MB', 4096), ('SRIOV_NET_VF', 8),
                          ('CUSTOM_NET_MBPS', 4000)):
            s.inventory(middle, rc, total)
        s.traits(middle, 'HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2', 'HW_CPU_X86_SSE',
                 'HW_NIC_ACCEL_TLS')
        right = self.export('CN_RIGHT', self.provider(s, 'cn_right', agg_b, agg_c))
        s.inventory(right, 'VCPU', 8)
        s.inventory(right, 'MEMORY_MB', 4096)
        s.inventory(right, 'DISK_GB', 500)
        s.inventory(right, 'VGPU', 8, max_unit=2)
        s.traits(right, 'HW_CPU_X86_MMX', 'HW_GPU_API_DXVA', 'CUSTOM_DISK_SSD')
        disk1 = self.export('SHR_DISK_1', self.provider(s, 'shr_disk_1', agg_a))
        s.inventory(disk1, 'DISK_GB', 1000)
        s.traits(disk1, 'MISC_SHARES_VIA_AGGREGATE', 'CUSTOM_DISK_SSD')
        disk2 = self.export('SHR_DISK_2', self.provider(s, 'shr_disk_2', agg_a, agg_b))
        s.inventory(disk2, 'DISK_GB', 1000)
        s.traits(disk2, 'MISC_SHARES_VIA_AGGREGATE')
        net = self.export('SHR_NET', self.provider(s, 'shr_net', agg_c))
        s.inventory(net, 'SRIOV_NET_VF', 16)
        s.inventory(net, 'CUSTOM_NET_MBPS', 40000)
        s.traits(net, 'MISC_SHARES_VIA_AGGREGATE')


class OpenPolicyFixture(APIFixture):
    """APIFixture where every policy rule allows any authenticated user."""

    app_options = {'policy_mode': 'open'}


class SecureRBACPolicyFixture(APIFixture):
    """APIFixture enforcing the new default (scoped, role based) policies."""

    app_options = {'policy_mode': 'secure'}


class LegacyRBACPolicyFixture(APIFixture):
    """APIFixture enforcing the deprecated policies (the real default)."""

    app_options = {'policy_mode': 'legacy'}


_VNIC_SRIOV = ('CUSTOM_VNIC_TYPE_DIRECT', 'CUSTOM_VNIC_TYPE_DIRECT_PHYSICAL',
               'CUSTOM_VNIC_TYPE_MACVTAP')


class NeutronQoSMultiSegmentFixture(APIFixture):
    """Four compute trees with OVS and SR-IOV agents on multi-segment physical networks.

    compute0 reaches CUSTOM_PHYSNET_OTHER, compute1 MSN_S1, compute2 MSN_S2; compute3 reaches both
    segments through two bridges and two PFs, each with little bandwidth.
    """

    def seed(self, s):
        for index, physnet in ((0, 'OTHER'), (1, 'MSN_S1'), (2, 'MSN_S2')):
            self._compute(s, index, [('br-ex', 'br_ex', physnet, 5000)],
                          [('enp129s0f0', 'pf0', physnet, 10000)])
        compute2_sriov = os.environ['compute2:sriov_agent']
        self._compute(s, 3, [('br-ex', 'br_ex', 'MSN_S1', 1000),
                             ('br-ex2', 'br_ex2', 'MSN_S2', 1000)],
                      [('enp129s0f0', 'pf0', 'MSN_S1', 1000),
                       ('enp129s0f1', 'pf1', 'MSN_S2', 1000)])
        # The real fixture exports compute2's SR-IOV agent under compute3's name.
        self.export('compute3:sriov_agent', compute2_sriov)

    def _compute(self, s, index, bridges, pfs):
        name = 'compute%d' % index
        compute = self.export(name, self.provider(s, name))
        s.inventory(compute, 'VCPU', 8)
        s.inventory(compute, 'MEMORY_MB', 4096)
        s.inventory(compute, 'DISK_GB', 500)
        ovs = self.provider(s, '%s:Open vSwitch agent' % name, parent=compute)
        self.export('%s:ovs_agent' % name, ovs)
        s.inventory(ovs, 'NET_PACKET_RATE_KILOPACKET_PER_SEC', 1000)
        s.traits(ovs, 'CUSTOM_VNIC_TYPE_NORMAL')
        for bridge, key, physnet, bandwidth in bridges:
            rp = self.provider(s, '%s:Open vSwitch agent:%s' % (name, bridge), parent=ovs)
            self.export('%s:%s' % (name, key), rp)
            s.inventory(rp, 'NET_BW_EGR_KILOBIT_PER_SEC', bandwidth)
            s.inventory(rp, 'NET_BW_IGR_KILOBIT_PER_SEC', bandwidth)
            s.traits(rp, 'CUSTOM_VNIC_TYPE_NORMAL', 'CUSTOM_PHYSNET_%s' % physnet)
        sriov = self.provider(s, '%s:NIC Switch agent' % name, parent=compute)
        self.export('%s:sriov_agent' % name, sriov)
        s.traits(sriov, *_VNIC_SRIOV)
        for device, key, physnet, bandwidth in pfs:
            rp = self.provider(s, '%s:NIC Switch agent:%s' % (name, device), parent=sriov)
            self.export('%s:%s' % (name, key), rp)
            s.inventory(rp, 'NET_BW_EGR_KILOBIT_PER_SEC', bandwidth)
            s.inventory(rp, 'NET_BW_IGR_KILOBIT_PER_SEC', bandwidth)
            s.traits(rp, *(_VNIC_SRIOV + ('CUSTOM_PHYSNET_%s' % physnet,)))
