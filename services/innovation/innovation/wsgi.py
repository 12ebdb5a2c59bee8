"""gunicorn entry: `gunicorn -c services/innovation/gunicorn.conf.py innovation.wsgi:app`."""

from .app import create_app

app = create_app()
