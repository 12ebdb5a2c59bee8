"""HTTP mechanism for the Flask services: app base, problem+json, auth, health, metrics."""
