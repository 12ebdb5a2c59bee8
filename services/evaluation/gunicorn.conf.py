# gunicorn settings for the evaluation API (workers, threads, timeouts from the environment).
from smartcity_shared.gunicorn_conf import apply

apply(globals(), "evaluation", 8001)
