"""Mechanism shared by the Smart City services (no business rules, no imports from services/)."""
