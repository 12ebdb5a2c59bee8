"""Sign-in accounts: the OIDC provider's accounts follow the directory's people."""
