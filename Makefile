# The two commands that matter: `make up` (run the stack) and `make test` (run the tests).
# Everything runs from the project's own files: `make install` builds .venv and .cache/ from scratch.

PYTHON ?= python3
VENV := .venv/bin
STACK := $(PYTHON) deploy/local/stack.py
PYTEST_ARGS ?=
ROLE ?= admin
REGION ?= kab-batang
UNIT ?=
LOG_DIR := $(or $(STACK_DIR),.cache/run/dev)/logs

.DEFAULT_GOAL := help
.PHONY: help install up down status logs test test-unit lint bench token clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: ## create .venv, fetch the Kafka jars and Keycloak, build FerretDB (cached in .cache/)
	$(STACK) install

up: ## start Kafka, the store, the mail sink, Keycloak, the APIs and workers; load demo data
	$(STACK) up

down: ## stop everything `make up` started
	$(STACK) down

status: ## which processes run, on which ports
	$(STACK) status

logs: ## follow the dev stack's logs
	@ls $(LOG_DIR)/*.log >/dev/null 2>&1 || { echo "no logs in $(LOG_DIR) yet: run make up" >&2; exit 1; }
	tail -n 20 -F $(LOG_DIR)/*.log

test: ## install, then run the whole suite (it starts the test-profile stack itself)
	$(STACK) install
	@$(VENV)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5): that is a failure" >&2; fi; \
	exit $$rc

test-unit: install ## unit and contract tests only (no Kafka or store)
	$(VENV)/python -m pytest tests/unit tests/contracts $(PYTEST_ARGS)

lint: install ## ruff (lint and format) and mypy
	$(VENV)/ruff check . && $(VENV)/ruff format --check . && $(VENV)/mypy

bench: install ## load benchmark against the running stack
	$(VENV)/python -m bench

token: ## print a dev JWT: make token ROLE=opd REGION=kab-batang UNIT=diskominfo (CATALOGUE=1: national frameworks)
	@$(VENV)/python -m smartcity_shared.devtoken --role '$(ROLE)' --region '$(REGION)' $(if $(UNIT),--unit '$(UNIT)') $(if $(CATALOGUE),--catalogue)

clean: ## stop both profiles and remove their state (.cache/run); keeps the venv and downloads
	$(STACK) --profile dev down
	$(STACK) --profile test down
	rm -rf .cache/run
