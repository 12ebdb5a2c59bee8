"""The Smart City notification service.

It turns events of the evaluation and innovation services into e-mails to the right people,
reminds them before things are due, honours each person's preferences (language, opt-outs,
daily digest) and keeps a delivery log so that no e-mail is sent twice or lost.

Layout: `domain/` holds the pure rules (no Flask, pymongo, Kafka or smtplib); `templates/` the
Jinja2 mail templates; `mail.py` rendering, message building and SMTP sending; `examples.py`
example contexts for template previews.
"""
