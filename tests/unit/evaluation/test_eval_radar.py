"""The hand-written SVG radar chart: well-formed XML, one axis per dimension, escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from evaluation.exports import radar_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_the_radar_is_well_formed_svg_with_a_polygon_per_series() -> None:
    axes = [("gov", "Governance & <Policy>"), ("env", "Environment"), ("soc", "Society")]
    series = [
        ("Self", {"gov": 4.5, "env": 2.75}),
        ("Verified", {"gov": 4.0, "env": 2.75, "soc": 5}),
    ]
    root = ET.fromstring(radar_svg("Dinkes 2019: 3.38", axes, series, 5))
    assert root.tag == f"{SVG}svg"
    assert len(root.findall(f"{SVG}line")) == 3
    polygons = root.findall(f"{SVG}polygon")
    assert len(polygons) == 5 + 2  # rings + series
    texts = [t.text for t in root.findall(f"{SVG}text")]
    assert "Governance & <Policy>" in texts and "Verified" in texts


def test_a_full_score_reaches_the_outer_ring_and_a_missing_one_the_centre() -> None:
    root = ET.fromstring(radar_svg("t", [("a", "A"), ("b", "B"), ("c", "C")], [("s", {"a": 5})], 5))
    shape = root.findall(f"{SVG}polygon")[-1].get("points", "").split()
    outer = root.findall(f"{SVG}polygon")[4].get("points", "").split()
    assert shape[0] == outer[0]
    assert shape[1] == shape[2] == "240.0,240.0"
