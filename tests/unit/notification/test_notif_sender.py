"""The From of a region's mail: the region's own sender, else the deployment's."""

from __future__ import annotations

from notification.domain.directory import Region, region_from_data, sender

DEFAULT = "smartcity@batangkab.go.id"


def test_a_region_with_its_own_sender_mails_from_it() -> None:
    region = region_from_data(
        {
            "region_id": "kab-pekalongan",
            "name": "Kabupaten Pekalongan",
            "mail_from": "smartcity@pekalongankab.go.id",
            "mail_from_name": "Smart City Kabupaten Pekalongan",
        }
    )
    assert sender(region, DEFAULT, "Smart City") == (
        "Smart City Kabupaten Pekalongan <smartcity@pekalongankab.go.id>"
    )


def test_without_its_own_sender_the_deployment_default_applies() -> None:
    region = region_from_data({"region_id": "kab-batang", "mail_from": None})
    assert sender(region, DEFAULT) == DEFAULT
    assert sender(region, DEFAULT, "Smart City") == f"Smart City <{DEFAULT}>"
    assert sender(None, DEFAULT) == DEFAULT


def test_a_name_never_breaks_the_header() -> None:
    region = Region("r", "R", mail_from="a@r.go.id", mail_from_name="Dinas\r\nBcc: x@evil")
    assert "\n" not in sender(region, DEFAULT) and "\r" not in sender(region, DEFAULT)
