"""REST handlers of the Placement facade, one module per resource family."""
