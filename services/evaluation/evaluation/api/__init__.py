"""HTTP blueprints of the evaluation service."""
