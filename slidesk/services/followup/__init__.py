"""The follow-up context: visits, outcomes and therapy success."""
