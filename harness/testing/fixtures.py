"""Fixtures for your own testtools tests: a simulated cloud, and an in-process Placement.

    class MyTest(testtools.TestCase):
        def test_resize(self):
            sim_fx = self.useFixture(SimulationFixture(hosts=('host1', 'host2')))
            sim_fx.spawn(sim_fx.cloud.api.boot('vm1', 'm1.tiny', host='host1'))
            sim_fx.run()
            self.assertEqual([], sim_fx.findings())

    placement = self.useFixture(PlacementFixture()).placement        # Python API
    app = self.useFixture(PlacementFixture()).app                    # WSGI app (REST)

Both are written in the fixtures style: the work is in `_setUp`, and everything they start is
undone by registered cleanups.
"""
import fixtures


class SimulationFixture(fixtures.Fixture):
    """A deterministic scheduler and a simulated Nova with its own Placement.

    `strategy` is fifo, random, pct or exhaustive (or a sim.Strategy); `hosts` are started with
    `driver`. Attributes: `scheduler`, `cloud`, `placement`. `run()` runs the scheduler once;
    `findings()` are the oracle's findings (invariants and quiescence) on the cloud now.
    """

    def __init__(self, hosts=('host1', 'host2'), driver='FakeDriver', strategy='fifo', seed=0,
                 reintroduce=(), options=None, max_steps=100000):
        super().__init__()
        self.hosts = tuple(hosts)
        self.driver = driver
        self.strategy = strategy
        self.seed = seed
        self.reintroduce = tuple(reintroduce)
        self.options = dict(options or {})
        self.max_steps = max_steps
        self.result = None

    def _setUp(self):
        from harness import sim
        from harness.nova.cloud import Cloud
        from harness.nova.cloud import NovaOptions
        from placement_sim import Placement
        strategy = self.strategy
        if isinstance(strategy, str):
            strategy = sim.make_strategy(strategy, seed=self.seed)
        self.scheduler = sim.Scheduler(strategy=strategy, max_steps=self.max_steps)
        self.placement = Placement()
        self.cloud = Cloud(self.scheduler, placement=self.placement,
                           options=NovaOptions(**self.options), reintroduce=self.reintroduce)
        for host in self.hosts:
            self.cloud.add_compute(host, driver=self.driver)
        self.addCleanup(self._forget)

    def _forget(self):
        self.cloud = self.scheduler = self.placement = self.result = None

    def spawn(self, gen, name=None):
        """Start a task (an API request generator, for instance) on the scheduler."""
        return self.scheduler.spawn(gen, name=name)

    def run(self):
        """Run the scheduler until every task finished; returns the sim.RunResult."""
        self.result = self.scheduler.run()
        return self.result

    def findings(self):
        """The oracle's invariant and quiescence findings on the cloud as it is now."""
        from harness.oracle import invariants
        from harness.oracle import quiescence
        return list(invariants.check_step(self.cloud)) + list(quiescence.check(self.cloud))


class PlacementFixture(fixtures.Fixture):
    """An in-memory Placement: `placement` (Python API) and `app` (its WSGI app).

    With `intercept=True` the app is also reachable over HTTP at `url` through wsgi-intercept
    (for clients such as osc-placement or Nova's report client); the intercept is removed at
    cleanup.
    """

    def __init__(self, intercept=False, host='placement.test', port=80):
        super().__init__()
        self.intercept = intercept
        self.host = host
        self.port = port
        self.url = None

    def _setUp(self):
        from placement_sim import Placement
        from placement_sim import wsgi
        self.placement = Placement()
        self.app = wsgi.make_app(self.placement)
        if self.intercept:
            self._install_intercept()
        self.addCleanup(self._forget)

    def _install_intercept(self):
        from wsgi_intercept import interceptor
        intercept = interceptor.RequestsInterceptor(lambda: self.app, host=self.host,
                                                    port=self.port)
        intercept.install_intercept()
        self.addCleanup(intercept.uninstall_intercept)
        self.url = 'http://%s:%d' % (self.host, self.port)

    def _forget(self):
        self.placement = self.app = None
