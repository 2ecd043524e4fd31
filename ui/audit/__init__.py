"""The audit-trail viewer: a lazy table over pages of audit DTOs."""
