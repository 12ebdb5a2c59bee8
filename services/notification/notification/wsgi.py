"""gunicorn entry: `gunicorn -c services/notification/gunicorn.conf.py notification.wsgi:app`."""

from .app import create_app

app = create_app()
