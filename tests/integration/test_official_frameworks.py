"""The official frameworks (SPBE 2020, Indeks Pemdi 2026, IID 2023, 100 Smart City) go into the
real store through the loader command `make up` runs, and come back over the HTTP API."""

from __future__ import annotations

from evaluation import bootstrap, frameworks_cli
from evaluation.app import create_app
from smartcity_shared.devtoken import mint

OFFICIAL = {"spbe-2020": 47, "pemdi-2026": 9, "iid-2023": 36, "smart-city-100": 90}


def test_the_official_frameworks_load_and_are_served_over_http(make_settings) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    ctx = bootstrap.build(settings)
    bootstrap.ensure_indexes(ctx)
    done = frameworks_cli.load(ctx)
    for key in OFFICIAL:
        assert f"{key}: published version 1" in done

    client = create_app(settings, ctx).test_client()
    token = mint(settings.jwt_secret, "viewer", "kab-batang", "", name="viewer")
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/frameworks", headers=headers)
    assert listed.status_code == 200, listed.get_json()
    published = {f["key"]: f["published_version"] for f in listed.get_json()}
    assert all(published.get(key) == 1 for key in OFFICIAL)

    for key, indicators in OFFICIAL.items():
        response = client.get(f"/frameworks/{key}/versions/1", headers=headers)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["status"] == "published"
        document = body["document"]
        assert document["description"].startswith("SOURCE: ")
        assert sum(len(d["indicators"]) for d in document["dimensions"]) == indicators
    iid = client.get("/frameworks/iid-2023/versions/1", headers=headers).get_json()["document"]
    assert [b["label"] for b in iid["bands"]] == [
        "Tidak Dapat Dinilai", "Kurang Inovatif", "Inovatif", "Sangat Inovatif",
    ]  # fmt: skip
    assert [b["min"] for b in iid["bands"]] == [0, 0.01, 35, 60.01]
