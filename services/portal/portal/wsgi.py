"""gunicorn entry: `gunicorn -c services/portal/gunicorn.conf.py portal.wsgi:app`.

`create_app` reads the environment and compiles the message catalogues; it opens no network
connection (the provider's metadata is fetched on the first sign-in)."""

from .app import create_app

app = create_app()
