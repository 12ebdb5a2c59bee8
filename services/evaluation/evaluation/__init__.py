"""The evaluation service: frameworks as data, cycles, submissions, scorecards, risks.

`evaluation.domain` holds the pure rules (no Flask, pymongo or Kafka); the shipped framework
documents live in `evaluation/frameworks/*.json`.
"""
