"""The Smart City notification service.

It turns events of the evaluation and innovation services into e-mails to the right people,
reminds them before things are due, honours each person's preferences (language, opt-outs,
daily digest) and keeps a delivery log so that no e-mail is sent twice or lost.

Layout: `domain/` holds the pure rules (no Flask, pymongo, Kafka or smtplib); `templates/` the
Jinja2 mail templates; `mail.py`/`smtp.py` rendering, message building and SMTP sending;
`examples.py` example events for previews. Around them: `handlers.py` (the consumer's
handlers: directory copy, reminders, notices), `services.py` (event → deliveries),
`scheduling.py` (plan, cancel and fire reminders), `sending.py` (the delivery loop's work),
`digesting.py` (daily digests), `repository/` (the store, with claims that hold on FerretDB),
`projection.py` (the `Directory` over the directory copy), `api/` (HTTP), `worker.py`,
`bootstrap.py`, `config.py` (loop intervals, leases, retries), `demo.py`.
"""
