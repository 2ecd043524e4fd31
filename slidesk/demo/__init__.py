"""Demo data: a planned, injected, sedated, signed and followed-up procedure for `slidesk demo`.
Not used by the runtime."""
