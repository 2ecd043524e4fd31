"""The audit context: the trail, its timeline, verification and checkpoints."""
