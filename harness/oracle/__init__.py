"""The oracle: invariants after every step, quiescence checks and scenario expectations.

Entry points (doc/contracts.md §5): ``invariants.check_step(cloud)``,
``quiescence.check(cloud)``, ``expectations.check(cloud, expect)``; each returns a list of
``findings.Finding``.
"""
