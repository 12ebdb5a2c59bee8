"""The innovation service's HTTP API: one blueprint per resource."""
