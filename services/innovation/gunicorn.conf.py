# gunicorn settings for the innovation API (workers, threads, timeouts from the environment).
from smartcity_shared.gunicorn_conf import apply

apply(globals(), "innovation", 8002)
