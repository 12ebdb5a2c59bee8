"""gunicorn entry: `gunicorn -c services/evaluation/gunicorn.conf.py evaluation.wsgi:app`."""

from .app import create_app

app = create_app()
