"""The one door: every screen reaches the core through operations, its jobs and lock waits."""
