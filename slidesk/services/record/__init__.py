"""The record context: the snapshot of a procedure that is signed, and its sections."""
