"""The project's test tree: unit tests, the scenario library, conformance, differential."""
