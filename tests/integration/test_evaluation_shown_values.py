"""What a reader sees is consistent: the band names the score as shown (2 decimals), the change
is the difference of the shown scores, and exported names that look like formulas stay text.

One number question (target 100000, scale 5): 2019 answer 35900 -> 1.795, shown 1.80 (Cukup
starts at 1.80); 2020 answer 46098 -> 2.3049, shown 2.30. The change shown is 2.30 - 1.80 =
+0.50, where the exact change 0.5099 would round to 0.51. The dimension's name starts with `=`,
the indicator's with `-`.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from tests.integration.test_evaluation_support import (
    BANDS,
    REGION,
    EvalApi,
    make_api,
    open_cycle,
    sub_path,
)

EVIL = '=HYPERLINK("http://evil.example","klik")'
EDGE: dict[str, Any] = {
    "key": "edge",
    "name": "Edge framework",
    "scale_max": 5,
    "bands": BANDS,
    "dimensions": [
        {
            "key": "gov",
            "name": EVIL,
            "indicators": [
                {
                    "key": "service",
                    "name": "-1+2",
                    "questions": [
                        {"key": "q", "type": "number", "text": "How many?", "target": 100000}
                    ],
                }
            ],
        }
    ],
}


def _final(admin: EvalApi, cycle_id: str, value: int) -> None:
    opd = admin.as_("opd", unit="dinkes")
    opd.patch(sub_path(cycle_id, "dinkes"), {"answers": {"q": value}}).ok()
    opd.post(sub_path(cycle_id, "dinkes", "/submit")).ok()
    assessor = admin.as_("assessor", region="*")
    for step in ("/start-review", "/verify", "/finalize"):
        assessor.post(sub_path(cycle_id, "dinkes", step)).ok()


def _year(admin: EvalApi, year: int, value: int) -> str:
    cycle_id = open_cycle(admin, year, framework_key="edge", participants=["dinkes"])
    _final(admin, cycle_id, value)
    admin.post(f"/cycles/{cycle_id}/publish").ok()
    return cycle_id


def test_band_and_change_follow_the_shown_scores_and_exports_keep_names_as_text(
    make_settings,  # type: ignore[no-untyped-def]
) -> None:
    admin, _ = make_api(make_settings("evaluation"))
    admin.post("/frameworks", EDGE).ok(201)
    admin.post("/frameworks/edge/versions/1/publish").ok()
    c2019 = _year(admin, 2019, 35900)  # 1.795 -> 1.80
    c2020 = _year(admin, 2020, 46098)  # 2.3049 -> 2.30

    card = admin.get(sub_path(c2019, "dinkes", "/scorecard")).ok()
    assert (card["final"]["overall"], card["final"]["band"]) == (1.8, "Cukup")
    later = admin.get(f"/cycles/{c2020}/scorecard").ok()
    assert later["delta"] == 0.5  # 2.30 - 1.80, not the exact 0.5099 -> 0.51
    assert later["comparison"]["dimensions"]["gov"]["delta"] == 0.5
    trend = admin.get(f"/regions/{REGION}/trend?framework=edge").ok()["points"]
    assert [(p["overall"], p["band"], p["change"]) for p in trend] == [
        (1.8, "Cukup", None),
        (2.3, "Cukup", 0.5),
    ]

    for path in (
        f"/cycles/{c2020}/scorecard.xlsx",
        sub_path(c2020, "dinkes", "/scorecard.xlsx"),
        f"/regions/{REGION}/trend.xlsx?framework=edge",
    ):
        book = load_workbook(io.BytesIO(admin.get(path).raw.data))
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], path
        texts = {c.value for c in cells if isinstance(c.value, str)}
        assert "'" + EVIL in texts or "'-1+2" in texts, path
        assert EVIL not in texts and "-1+2" not in texts, path
