"""harness.nova: the simulated Nova 34.0.0 (API, conductor, scheduler, computes).

See doc/nova-model.md; the facade is harness.nova.cloud.Cloud.
"""
