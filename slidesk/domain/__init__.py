"""Pure domain: value objects, states and rules. Imports only the standard library."""
