"""The resize-harness command line."""
