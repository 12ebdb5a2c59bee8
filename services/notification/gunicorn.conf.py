# gunicorn settings for the notification API (workers, threads, timeouts from the environment).
from smartcity_shared.gunicorn_conf import apply

apply(globals(), "notification", 8003)
