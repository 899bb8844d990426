"""JSON schemas of the REST facade's bodies and query strings, per microversion."""
