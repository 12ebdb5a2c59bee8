"""Event handlers of the innovation worker: the directory copy, and compliance refreshed when
an OPD is added, renamed or deactivated (a new OPD is listed with its full shortfall)."""

from __future__ import annotations

from smartcity_shared import directory_copy
from smartcity_shared.consumer import Event, Handler

from . import compliance
from .bootstrap import Context

UNIT_UPSERTED = "smartcity.directory.unit.upserted"


def handlers(ctx: Context) -> dict[str, Handler]:
    """`directory_copy.handlers` plus a compliance refresh after each unit event.

    Idempotent: the copy keeps the latest state per id, and a refresh that finds nothing
    changed writes nothing (so a redelivered event emits no second quota event).
    """
    base = directory_copy.handlers(ctx.db)
    copy_unit = base[UNIT_UPSERTED]

    def on_unit(event: Event) -> None:
        copy_unit(event)
        region = str(event.data["region"])
        for year in compliance.open_years(ctx, region):
            compliance.refresh(ctx, region, year, event.correlationid)

    return {**base, UNIT_UPSERTED: on_unit}
