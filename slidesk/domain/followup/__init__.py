"""The follow-up rules: visits, scores, therapy success."""
