"""nova-resize-harness: a deterministic fault-injection harness for Nova move operations."""
