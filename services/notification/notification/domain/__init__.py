"""Pure domain of the notification service: no Flask, pymongo, Kafka or smtplib in here.

Modules:
- `events`: reading CloudEvents envelopes (plain mappings) by dotted path.
- `directory`: regions, units (OPDs) and people, and the `Directory` protocol the service's
  projection of the `smartcity.directory` topic implements.
- `rules`: recipient rules as data and `resolve_recipients`; `default_rules`: the shipped set.
- `notices`: one `Notice` per (event, recipient, template): what the worker delivers.
- `reminders`: deadline reminders planned (times, ids, missed ones) and reconciled on a move.
- `triggers`: which events plan reminders and which cancel them, as data.
- `preferences`, `digest`: per-person language, opt-outs and the daily digest.
- `delivery`: the delivery-attempt state machine, backoff and SMTP failure classification.
- `documents`: store documents for reminders and delivery records, and back.
"""
