"""The notification API: one blueprint per resource."""
