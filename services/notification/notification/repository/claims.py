"""Atomic claims that hold on FerretDB too: one insert of a unique token per claim.

FerretDB (1.x, SQLite) runs `find_one_and_update` and `update_one` as a query followed by an
unconditional write by `_id`, so two replicas claiming at once could both "win" a
status-guarded update. The one operation that is atomic there (and in MongoDB) is inserting
a document with a unique `_id`. So a claim is: read a candidate, insert the token
`<doc id>#<claim_gen>` into the claims collection (only one replica can), then mark the
document with the claim and `claim_gen + 1` (the next claim, after a lease expired or a
retry fell due, needs a fresh token). A replica that read the document before that mark
holds a stale `claim_gen` whose token is taken, so it moves on. Tokens are kept for
`KEEP` (far longer than any stale read) and then purged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo import UpdateOne
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from smartcity_shared.bulk import chunks, insert_new

Doc = dict[str, Any]
KEEP = timedelta(hours=6)


class Claimer:
    """Claims documents of `collection` using tokens in `tokens`. Thread-safe."""

    def __init__(self, collection: Collection[Doc], tokens: Collection[Doc], batch: int = 8):
        self.coll = collection
        self.tokens = tokens
        self.batch = batch

    def claim(
        self,
        query: Mapping[str, Any],
        sort: list[tuple[str, int]],
        now: datetime,
        lease: timedelta,
        worker: str,
        fields: Mapping[str, Any],
    ) -> Doc | None:
        """Claim the first candidate of `query` (in `sort` order) no other replica claimed;
        sets `fields`, `claim`, `claim_gen`, `claimed_by`, `claimed_until`. None when every
        candidate was taken (or there is none)."""
        for doc in self.coll.find(dict(query)).sort(sort).limit(self.batch):
            claimed = self.claim_one(doc, now, lease, worker, fields)
            if claimed is not None:
                return claimed
        return None

    def claim_one(
        self, doc: Doc, now: datetime, lease: timedelta, worker: str, fields: Mapping[str, Any]
    ) -> Doc | None:
        """Claim `doc` as read (its `claim_gen`); None when another replica got it first."""
        gen = int(doc.get("claim_gen") or 0)
        token = f"{doc['_id']}#{gen}"
        try:
            self.tokens.insert_one({"_id": token, "at": now, "worker": worker})
        except DuplicateKeyError:
            return None
        update = {
            **fields,
            "claim": token,
            "claim_gen": gen + 1,
            "claimed_by": worker,
            "claimed_at": now,
            "claimed_until": now + lease,
        }
        self.coll.update_one({"_id": doc["_id"]}, {"$set": update})
        return {**doc, **update}

    def claim_many(
        self,
        docs: Sequence[Doc],
        now: datetime,
        lease: timedelta,
        worker: str,
        fields: Mapping[str, Any],
    ) -> list[Doc]:
        """`claim_one` for many documents with one token insert and a few bulk updates;
        returns those this worker got (the others were taken first)."""
        marks = [self._mark(doc, now, lease, worker, fields) for doc in docs]
        tokens = [{"_id": m["claim"], "at": now, "worker": worker} for m in marks]
        taken = insert_new(self.tokens, tokens)
        pairs = enumerate(zip(docs, marks, strict=True))
        won = [(doc, mark) for n, (doc, mark) in pairs if n not in taken]
        updates = [UpdateOne({"_id": doc["_id"]}, {"$set": mark}) for doc, mark in won]
        for chunk in chunks(updates):
            self.coll.bulk_write(list(chunk), ordered=False)
        return [{**doc, **mark} for doc, mark in won]

    @staticmethod
    def _mark(
        doc: Doc, now: datetime, lease: timedelta, worker: str, fields: Mapping[str, Any]
    ) -> Doc:
        gen = int(doc.get("claim_gen") or 0)
        return {
            **fields,
            "claim": f"{doc['_id']}#{gen}",
            "claim_gen": gen + 1,
            "claimed_by": worker,
            "claimed_at": now,
            "claimed_until": now + lease,
        }

    def purge(self, now: datetime) -> int:
        """Forget tokens older than `KEEP`."""
        return self.tokens.delete_many({"at": {"$lt": now - KEEP}}).deleted_count
