"""The Smart City portal: server-rendered pages over the three APIs (no rules of its own)."""
