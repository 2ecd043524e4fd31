"""SLI Desk core: domain, protocol, persistence, services and reports. Never imports Qt."""

__version__ = "0.1.0"
