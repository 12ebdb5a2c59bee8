# One image for every process of the platform: the portal, the three APIs, the workers, the topic
# init job and the demo loader. What runs is chosen by the command (docker-compose.yml,
# deploy/k8s/), e.g.
#   gunicorn -c services/evaluation/gunicorn.conf.py evaluation.wsgi:app
#   python -m evaluation.worker
#   python -m smartcity_shared.topics
# Build: docker build -t smartcity-platform:local .

# --- assets stage: the pinned front-end packages of deploy/assets.txt (Swagger UI, ...) ----
# from the npm registry, unpacked into /assets/<name>/ (the services serve them; no CDN).
FROM node:22-slim AS assets
COPY deploy/assets.txt /tmp/assets.txt
RUN set -e; mkdir -p /assets /tmp/pack; \
    sed 's/#.*//' /tmp/assets.txt | while read -r name version; do \
      [ -n "$name" ] || continue; \
      tarball=$(cd /tmp/pack && npm pack --silent "$name@$version" | tail -n 1); \
      mkdir -p "/assets/$name"; \
      tar -xzf "/tmp/pack/$tarball" -C "/assets/$name" --strip-components=1; \
    done; \
    rm -rf /tmp/pack

# --- build stage: install the packages (pinned by the constraints file) into a venv --------
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# The constraints file first: it pins every runtime dependency for every environment.
COPY requirements/constraints.txt requirements/constraints.txt
COPY shared/ shared/
COPY services/ services/

# shared first, then every service the same way (a service is a pip-installable package).
RUN pip install --no-cache-dir -c requirements/constraints.txt \
        ./shared \
        ./services/evaluation \
        ./services/innovation \
        ./services/notification \
        ./services/accounts \
        ./services/portal \
    && python -c "import smartcity_shared, evaluation, innovation, notification, accounts, portal"

# Keep only the gunicorn config files for the runtime stage (the code is in the venv).
RUN mkdir -p /out/services \
    && find services -mindepth 2 -maxdepth 2 -name gunicorn.conf.py \
         -exec cp --parents {} /out/ \;

# --- runtime stage: the venv and the gunicorn config files, as a non-root user ------------
FROM python:3.11-slim AS runtime

LABEL org.opencontainers.image.title="smartcity-platform" \
      org.opencontainers.image.description="Smart City platform: evaluation, innovation and notification services (APIs and workers)"

# gunicorn binds 127.0.0.1 by default (CONTRACT.md); in a container it must listen on all
# interfaces so the proxy, the port mapping and the kubelet's probes can reach it.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BIND_HOST=0.0.0.0

# A fixed numeric uid/gid, so Kubernetes' runAsNonRoot can verify it.
RUN groupadd --system --gid 10001 smartcity \
    && useradd --system --uid 10001 --gid smartcity --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin smartcity

WORKDIR /app
COPY --from=build /opt/venv /opt/venv
# gunicorn reads services/<svc>/gunicorn.conf.py from this path; the package code itself is
# imported from the venv. A service added later needs no change here.
COPY --from=build /out/services /app/services
COPY --from=assets /assets /app/assets
ENV ASSETS_DIR=/app/assets

USER 10001:10001

# Portal 8000; APIs: evaluation 8001, innovation 8002, notification 8003; workers' metrics: 9100.
EXPOSE 8000 8001 8002 8003 9100

# No default process: every container names its command (see the header).
CMD ["python", "-c", "print('smartcity-platform: give a command, e.g. python -m evaluation.worker')"]
