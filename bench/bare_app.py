"""The baseline: a bare Flask app on the same gunicorn settings, one small JSON endpoint."""

from __future__ import annotations

from flask import Flask, jsonify

app = Flask("bare")


@app.get("/item")
def item():  # type: ignore[no-untyped-def]
    return jsonify(id="kab-batang:dinkes", name="Dinas Kesehatan", active=True)


@app.post("/item")
def create():  # type: ignore[no-untyped-def]
    return jsonify(id="kab-batang:dinkes", name="Dinas Kesehatan", active=True), 201
