"""Administration: user accounts and the Administration menu."""
