# gunicorn settings for the portal (workers, threads, timeouts from the environment).
from smartcity_shared.gunicorn_conf import apply

apply(globals(), "portal", 8000)
