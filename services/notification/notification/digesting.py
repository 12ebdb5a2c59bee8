"""The digest loop's work: turn each address's held notices into one e-mail when due.

One run per (address, digest moment), claimed in the store (see `repository.digests`), ends
in one delivery-log record under (digest id, address, `digest`); the delivery loop sends it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from notification.domain.digest import DIGEST_TEMPLATE, build_digest, digest_id, next_digest_time
from notification.domain.rules import Category

from .bootstrap import Context
from .mail import digest_context
from .repository.deliveries import delivery_id
from .services import Doc, delivery_doc, notice_from_doc, preference_for

log = logging.getLogger(__name__)


def send_due_digests(ctx: Context, now: datetime) -> int:
    """Build every digest that is due; returns how many deliveries were created."""
    return sum(build_one(ctx, email, at, now) for email, at in ctx.digests.due_groups(now))


def build_one(ctx: Context, email: str, at: datetime, now: datetime) -> int:
    did = digest_id(email, at)
    lease = timedelta(seconds=ctx.config.lease_s)
    run = ctx.digests.claim_run(did, now, lease, ctx.config.worker_id)
    if run is None:
        return 0  # another replica is building it
    if run["status"] == "done" or ctx.deliveries.get(delivery_id(did, email, DIGEST_TEMPLATE)):
        _postpone(ctx, email, at, now)
        ctx.digests.finish_run(did, now)
        return 0
    items = ctx.digests.tag(email, at, did)
    created = _deliver(ctx, did, email, at, items, now) if items else 0
    ctx.digests.finish_run(did, now)
    return created


def _deliver(
    ctx: Context, did: str, email: str, at: datetime, items: list[Doc], now: datetime
) -> int:
    notices = [notice_from_doc(i["notice"]) for i in items]
    by_key = {n.delivery_key: i["context"] for n, i in zip(notices, items, strict=True)}
    digest = build_digest(email, at, notices)
    if digest is None:
        return 0
    contexts = [by_key[n.delivery_key] for n in digest.notices]
    language = str(items[-1].get("language") or "id")
    base_url = ctx.settings.portal_base_url
    rendered = ctx.renderer.render(
        DIGEST_TEMPLATE, language, digest_context(digest, contexts, language, base_url)
    )
    first = digest.notices[0]
    doc = delivery_doc(first, language, now)
    doc.update(
        event_id=did,
        template=DIGEST_TEMPLATE,
        event_type="smartcity.notification.digest",
        rule_id="digest",
        category=Category.INFO.value,
        urgent=False,
        subject=None,
        digest_items=[i["_id"] for i in items],
        mail_subject=rendered.subject,
    )
    mail = {"subject": rendered.subject, "text": rendered.text, "html": rendered.html}
    return int(ctx.deliveries.add(doc, mail, now))


def _postpone(ctx: Context, email: str, at: datetime, now: datetime) -> None:
    """Items that arrived after their digest went out join the next one."""
    timezone = "Asia/Jakarta"
    preference = preference_for(ctx, email, timezone)
    later = next_digest_time(preference, now) or now
    moved = ctx.digests.postpone(email, at, later)
    if moved:
        log.info("%d late notices for %s moved to the digest at %s", moved, email, later)
