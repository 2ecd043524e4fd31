"""Read queries the services use, one module per context."""
