"""The Batang year told through the running stack (issue 7, "The story").

Diskominfo (the regency's admin) sets up the region, its OPDs and the evaluation form; the 2019
cycle is run to a published scorecard; the 2020 cycle opens carried forward from 2019 with a
deadline that makes a reminder due at once; OPDs submit (one is refused for missing evidence,
then returned for revision and resubmits); assessors do the field review and change answers;
the cycle is finalized and its scorecard compared with 2019; the weakest OPD gets
recommendations; risks are raised from the community-engagement and sustainability
perspectives; OPDs register innovations (one non-digital); the quota report shows who is short
and those OPDs are reminded; the master-plan review lists the programmes behind schedule.

Every step is an HTTP call as an OPD portal makes it; every e-mail is read back from the mail
sink by recipient and subject (Indonesian: no recipient set another language). The region id
and every address carry a random suffix, so runs never see each other's data or mail.

The tests run in file order and build on each other (a module-scoped `story`); a test whose
earlier steps did not run is skipped. Everything asynchronous (events between services, mail)
is awaited by polling with a deadline.

Numbers: the form below has three dimensions of equally weighted indicators on a 0-5 scale with
the SPBE predicates as bands; the expected scores are worked out in the comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.portal import Portal, mails_to, problem, suffix, wait_mails
from tests.support.stack import eventually

JAKARTA = ZoneInfo("Asia/Jakarta")
EVENTS = 90.0  # seconds for an event to cross services (the shared test box is often busy)
LEVELS = [
    {"label": label, "criteria": f"Tingkat {i}: {label}."}
    for i, label in enumerate(
        ["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"], 1
    )
]
BANDS = [
    {"label": "Kurang", "min": 0},
    {"label": "Cukup", "min": 1.8},
    {"label": "Baik", "min": 2.6},
    {"label": "Sangat Baik", "min": 3.5},
    {"label": "Memuaskan", "min": 4.2},
]
A, B, C, D = "dinkes", "disdikbud", "bappeda", "dishub"
NAMES = {
    A: "Dinas Kesehatan",
    B: "Dinas Pendidikan dan Kebudayaan",
    C: "Badan Perencanaan Pembangunan Daerah",
    D: "Dinas Perhubungan",
}
# 2019: A scores layanan (3/5 + 1)/2 = .8, tata-kelola (2/5 + 50/100)/2 = .45, masyarakat .4,
# overall .55 (2.75); B .2, .4, .4, overall 1/3 (1.67). Aggregate .441667 (2.21, Cukup).
ANSWERS_2019 = {
    A: {"q-layanan": 3, "q-aduan": True, "q-kebijakan": 2, "q-data": 50, "q-partisipasi": 2},
    B: {"q-layanan": 2, "q-aduan": False, "q-kebijakan": 2, "q-data": 40, "q-partisipasi": 2},
}
RETURN_COMMENT = "Lampirkan SK Kepala Dinas yang sudah ditandatangani."


def form(key: str) -> dict[str, Any]:
    """The evaluation form as Diskominfo writes it (data, not code)."""

    def level(key: str, text: str, evidence_from: int) -> dict[str, Any]:
        return {
            "key": key,
            "type": "level",
            "required": True,
            "text": text,
            "levels": LEVELS,
            "evidence": {"required_from_level": evidence_from},
        }

    def indicator(key: str, name: str, question: dict[str, Any]) -> dict[str, Any]:
        guidance = f"Tingkatkan {name.lower()} dengan rencana aksi tahunan."
        return {"key": key, "name": name, "guidance": guidance, "questions": [question]}

    return {
        "key": key,
        "name": "Evaluasi Smart City Kabupaten (e2e)",
        "scale_max": 5,
        "bands": BANDS,
        "dimensions": [
            {
                "key": "layanan",
                "name": "Layanan publik",
                "indicators": [
                    indicator(
                        "layanan-daring",
                        "Layanan publik daring",
                        level("q-layanan", "Kematangan layanan publik daring?", 3),
                    ),
                    indicator(
                        "layanan-aduan",
                        "Kanal aduan warga",
                        {
                            "key": "q-aduan",
                            "type": "boolean",
                            "required": True,
                            "text": "Ada kanal aduan warga yang ditindaklanjuti?",
                        },
                    ),
                ],
            },
            {
                "key": "tata-kelola",
                "name": "Tata kelola",
                "indicators": [
                    indicator(
                        "tk-kebijakan",
                        "Kebijakan Smart City",
                        level("q-kebijakan", "Kematangan kebijakan Smart City?", 4),
                    ),
                    indicator(
                        "tk-data",
                        "Ketersediaan data pembangunan",
                        {
                            "key": "q-data",
                            "type": "number",
                            "required": True,
                            "unit": "%",
                            "target": 100,
                            "text": "Persentase data pembangunan yang terbuka?",
                        },
                    ),
                ],
            },
            {
                "key": "masyarakat",
                "name": "Pelibatan masyarakat",
                "indicators": [
                    indicator(
                        "mas-partisipasi",
                        "Partisipasi warga",
                        level("q-partisipasi", "Kematangan partisipasi warga?", 3),
                    )
                ],
            },
        ],
    }


def local_deadline() -> date:
    """A deadline date whose "1 day before, 08:00 Jakarta" reminder is already due but still
    within the notifier's 2-day catch-up, and whose end has not passed: tomorrow once 08:00
    has passed in Jakarta, else today (see notification/domain/reminders.py)."""
    now = datetime.now(JAKARTA)
    return now.date() + timedelta(days=1 if now.hour >= 8 else 0)


@dataclass
class Story:
    running: Any
    sfx: str
    region: str
    framework: str
    year: int  # the running year: the innovation quota and its reminders use the real clock
    state: dict[str, Any] = field(default_factory=dict)

    def email(self, code: str) -> str:
        return f"{code}-{self.sfx}@batangkab.go.id"

    @property
    def admin_email(self) -> str:
        return f"diskominfo-{self.sfx}@batangkab.go.id"

    def admin(self, service: str = "evaluation") -> Portal:
        return Portal(self.running, service, "admin", self.region, "diskominfo", self.admin_email)

    def assessor(self, service: str = "evaluation") -> Portal:
        return Portal(self.running, service, "assessor", self.region, "", "asesor@kominfo.go.id")

    def opd(self, code: str, service: str = "evaluation") -> Portal:
        return Portal(self.running, service, "opd", self.region, code, self.email(code))

    def viewer(self, service: str = "evaluation") -> Portal:
        return Portal(self.running, service, "viewer", self.region, "", "publik@batangkab.go.id")

    def cycle(self, year: int) -> str:
        return f"{self.region}:{year}:{self.framework}"

    def need(self, *keys: str) -> None:
        missing = [k for k in keys if k not in self.state]
        if missing:
            pytest.skip(f"needs the earlier steps of the story ({', '.join(missing)})")


@pytest.fixture(scope="module")
def story(running: Any) -> Story:
    """Diskominfo sets up the regency: region, the year's innovation quota, four OPDs with
    contact e-mails, and the evaluation form (published); then waits until the innovation and
    notification services know the OPDs from the directory events."""
    sfx = suffix()
    s = Story(running, sfx, f"kab-batang-{sfx}", f"batang-e2e-{sfx}", datetime.now(JAKARTA).year)
    admin = s.admin()
    admin.post(
        "/regions",
        {
            "region_id": s.region,
            "name": "Kabupaten Batang",
            "kind": "regency",
            "timezone": "Asia/Jakarta",
            "admin_emails": [s.admin_email],
        },
        expect=201,
    )
    # The quota of the running year, set before the OPDs exist so its first check (when each
    # OPD arrives) plans reminders for a deadline far ahead; the story moves it later.
    quota = {"required_per_unit": 3, "min_stage": "trial", "deadline": f"{s.year + 1}-12-31"}
    s.admin("innovation").put(f"/regions/{s.region}/quota/{s.year}", quota)
    for code, name in NAMES.items():
        unit = {"code": code, "name": name, "contact_emails": [s.email(code)]}
        admin.post(f"/regions/{s.region}/units", unit, expect=201)
    catalogue = Portal(s.running, "evaluation", "admin", s.region, catalogue=True)
    created = catalogue.post("/frameworks", form(s.framework), expect=201)
    assert (created["version"], created["status"]) == (1, "draft")
    catalogue.post(f"/frameworks/{s.framework}/versions/1/publish")

    innovation = s.admin("innovation")
    eventually(
        lambda: {u["code"] for u in innovation.get(f"/regions/{s.region}/units")} == set(NAMES),
        EVENTS,
        message="the innovation service's copy of the OPDs",
    )
    notify = s.admin("notification")
    for code in NAMES:
        eventually(
            partial(_knows_address, notify, s.email(code)),
            EVENTS,
            message=f"the notification service knowing {code}'s contact",
        )
    return s


def _knows_address(notify: Portal, address: str) -> bool:
    """The region's admin may read an address's preferences once the directory copy has it."""
    return notify.call("GET", f"/preferences/{address}").status_code == 200


def test_the_directory_and_the_form_reach_every_reader(story: Story) -> None:
    s = story
    units = s.opd(A).get(f"/regions/{s.region}/units")
    assert {u["code"]: u["contact_emails"] for u in units} == {
        code: [s.email(code)] for code in NAMES
    }
    published = s.viewer().get(f"/frameworks/{s.framework}")
    assert published["published_version"] == 1
    version = s.opd(B).get(f"/frameworks/{s.framework}/versions/1")
    assert [d["key"] for d in version["document"]["dimensions"]] == [
        "layanan",
        "tata-kelola",
        "masyarakat",
    ]
    s.state["ready"] = True


def _run_to_final(s: Story, cycle: str, code: str, answers: dict[str, Any], evidence: Any) -> None:
    base = f"/cycles/{cycle}/submissions/{code}"
    opd, assessor = s.opd(code), s.assessor()
    opd.patch(base, {"answers": answers, "evidence": evidence})
    assert opd.post(f"{base}/submit", {"reason": "Pengisian mandiri selesai"})["state"] == (
        "submitted"
    )
    assessor.post(f"{base}/start-review")
    assessor.post(f"{base}/verify", {"reason": "Tinjauan lapangan selesai"})
    final = assessor.post(f"{base}/finalize", {"reason": "Nilai akhir"})
    assert final["state"] == "final" and "save" not in final["allowed_actions"]


def test_2019_is_run_to_a_published_scorecard(story: Story) -> None:
    s = story
    s.need("ready")
    admin, cycle = s.admin(), s.cycle(2019)
    opened = admin.post(
        f"/regions/{s.region}/cycles",
        {
            "year": 2019,
            "name": "Evaluasi Smart City Batang 2019",
            "framework_key": s.framework,
            "participants": [A, B],
        },
        expect=201,
    )
    assert opened["id"] == cycle and opened["framework_version"] == 1
    evidence = {A: {"q-layanan": ["https://dokumen.batangkab.go.id/2019/dinkes/sop.pdf"]}, B: {}}
    for code in (A, B):
        _run_to_final(s, cycle, code, ANSWERS_2019[code], evidence[code])
    admin.post(f"/cycles/{cycle}/phase", {"phase": "finalization"})
    assert admin.post(f"/cycles/{cycle}/publish")["published"] is True
    admin.post(f"/cycles/{cycle}/phase", {"phase": "closed", "reason": "Hasil diumumkan"})

    card = s.viewer().get(f"/cycles/{cycle}/scorecard")  # viewers read it once published
    assert (card["overall"], card["band"], card["delta"]) == (2.21, "Cukup", None)
    assert card["dimensions"] == {"layanan": 2.5, "tata-kelola": 2.13, "masyarakat": 2.0}
    assert [(r["unit"], r["overall"]) for r in card["ranking"]] == [(A, 2.75), (B, 1.67)]

    name = opened["name"]
    wait_mails(
        s.running,
        (s.email(A), "Hasil evaluasi Dinas Kesehatan telah final", name),
        (s.email(B), f"Hasil evaluasi {NAMES[B]} telah final", name),
        (s.admin_email, f"Kartu nilai {name} telah terbit"),
    )
    s.state["2019"] = cycle


def test_2020_opens_carried_forward_and_every_opd_is_reminded(story: Story) -> None:
    s = story
    s.need("2019")
    admin, cycle = s.admin(), s.cycle(2020)
    deadline = local_deadline()
    opened = admin.post(
        f"/regions/{s.region}/cycles",
        {
            "year": 2020,
            "name": "Evaluasi Smart City Batang 2020",
            "framework_key": s.framework,
            "participants": [A, B, C],
            "submission_deadline": deadline.isoformat(),
            "carry_forward_from": s.state["2019"],
        },
        expect=201,
    )
    assert opened["submission_deadline"] is not None
    # Last year's answers (and their evidence) pre-fill this year's drafts; C took no part.
    draft = s.opd(A).get(f"/cycles/{cycle}/submissions/{A}")
    assert draft["state"] == "draft" and draft["carried_from"] == s.state["2019"]
    assert draft["answers"] == ANSWERS_2019[A]
    assert draft["evidence"] == {
        "q-layanan": ["https://dokumen.batangkab.go.id/2019/dinkes/sop.pdf"]
    }
    assert s.opd(C).get(f"/cycles/{cycle}/submissions/{C}")["answers"] == {}

    # The deadline is tomorrow (or tonight): every participant gets the reminder at once.
    name = opened["name"]
    reminded = wait_mails(
        s.running,
        *((s.email(code), f"Pengingat: isian {name} untuk {NAMES[code]}") for code in (A, B, C)),
    )
    for mail in reminded:
        assert "belum dikirim" in mail["text"], mail["text"]
    assert not mails_to(s.running, s.email(D), "Pengingat: isian")  # D takes no part
    s.state["2020"] = cycle
    s.state["2020-name"] = name


def _reminders(s: Story, **query: str) -> list[dict[str, Any]]:
    params = {"region": s.region, "kind": "submission", "status": "all", "limit": "200", **query}
    page = s.admin("notification").get("/reminders", params=params)
    return [r for r in page["items"] if r["subject_id"] == s.cycle(2020)]


def test_opds_submit_one_refused_for_missing_evidence_then_returned(story: Story) -> None:
    s = story
    s.need("2020")
    cycle = s.state["2020"]
    a_path, b_path = (f"/cycles/{cycle}/submissions/{code}" for code in (A, B))
    opd_a, opd_b, assessor = s.opd(A), s.opd(B), s.assessor()

    # A improves on last year and submits in time.
    opd_a.patch(
        a_path,
        {
            "answers": {"q-layanan": 4, "q-data": 80, "q-partisipasi": 3},
            "evidence": {"q-partisipasi": ["https://dokumen.batangkab.go.id/2020/dinkes/fgd.pdf"]},
        },
    )
    submitted = opd_a.post(f"{a_path}/submit", {"reason": "Isian 2020"})
    assert (submitted["state"], submitted["late"]) == ("submitted", False)

    # B claims higher levels without the evidence they require: refused, every item listed.
    opd_b.patch(b_path, {"answers": {"q-aduan": True, "q-kebijakan": 4, "q-partisipasi": 3}})
    refused = problem(opd_b.call("POST", f"{b_path}/submit", {}), 422)
    assert set(refused["errors"]) == {"evidence.q-kebijakan", "evidence.q-partisipasi"}
    assert opd_b.get(b_path)["state"] == "draft"
    links = {
        "q-kebijakan": ["https://dokumen.batangkab.go.id/2020/disdikbud/perbup.pdf"],
        "q-partisipasi": ["https://dokumen.batangkab.go.id/2020/disdikbud/musyawarah.pdf"],
    }
    opd_b.patch(b_path, {"evidence": links})
    assert opd_b.post(f"{b_path}/submit", {})["state"] == "submitted"

    # Submitting ends a unit's reminders; C, still drafting, keeps its overdue notice.
    def pending(code: str) -> list[dict[str, Any]]:
        return [r for r in _reminders(s, unit=code) if r["status"] == "pending"]

    eventually(
        lambda: not pending(A) and not pending(B), EVENTS, message="A's and B's reminders off"
    )
    assert [r["stage"] for r in pending(C)] == ["overdue"]

    # C is late: Diskominfo records the deadline as passed, and C (with Diskominfo) gets the
    # overdue notice at once (it was due at 08:00 the day after that deadline).
    now = datetime.now(JAKARTA)
    passed = now.date() - timedelta(days=1 if now.hour >= 8 else 2)
    s.admin().put(
        f"/cycles/{cycle}/deadline",
        {"submission_deadline": passed.isoformat(), "reason": "Batas pengisian telah lewat"},
    )
    late = f"Terlambat: isian {s.state['2020-name']} untuk"
    (overdue, _) = wait_mails(
        s.running, (s.email(C), late, NAMES[C]), (s.admin_email, late, NAMES[C])
    )
    assert "belum kami terima" in overdue["text"], overdue["text"]
    assert not mails_to(s.running, s.email(A), "Terlambat: isian")

    # The assessor sees both submissions (not C's draft) and returns B with a comment.
    listed = assessor.get(f"/cycles/{cycle}/submissions")
    assert {x["unit"]: x["state"] for x in listed} == {A: "submitted", B: "submitted"}
    assessor.post(f"{b_path}/start-review")
    returned = assessor.post(
        f"{b_path}/return",
        {"reason": "Bukti dukung belum lengkap", "comments": {"q-kebijakan": RETURN_COMMENT}},
    )
    assert returned["state"] == "returned"

    seen = opd_b.get(b_path)
    assert seen["comments"] == {"q-kebijakan": RETURN_COMMENT}
    assert seen["returns"][-1]["reason"] == "Bukti dukung belum lengkap"
    assert "submit" in seen["allowed_actions"]
    name = s.state["2020-name"]
    (mail,) = wait_mails(s.running, (s.email(B), f"Isian {NAMES[B]} dikembalikan", name))
    assert "Bukti dukung belum lengkap" in mail["text"], mail["text"]
    assert not mails_to(s.running, s.email(A), "dikembalikan")

    # B adds the signed decree and resubmits.
    signed = [*links["q-kebijakan"], "https://dokumen.batangkab.go.id/2020/disdikbud/sk-ttd.pdf"]
    opd_b.patch(b_path, {"evidence": {"q-kebijakan": signed}})
    again = opd_b.post(f"{b_path}/submit", {"reason": "SK terlampir"})
    assert (again["state"], again["submission_count"]) == ("submitted", 2)
    assert [e["action"] for e in opd_b.get(f"{b_path}/audit")] == [
        "submit",
        "start_review",
        "return",
        "submit",
    ]
    s.state["submitted"] = True


def test_field_review_finalize_and_the_scorecard_against_2019(story: Story) -> None:
    s = story
    s.need("submitted")
    cycle, admin, assessor = s.state["2020"], s.admin(), s.assessor()
    corrections = {A: {"q-layanan": 3}, B: {"q-kebijakan": 3}}
    for code, verified in corrections.items():
        path = f"/cycles/{cycle}/submissions/{code}"
        assessor.post(f"{path}/start-review")
        note = {k: "Tinjauan lapangan: bukti belum mendukung level yang diklaim." for k in verified}
        assessor.patch(f"{path}/review", {"verified": verified, "notes": note})
        assessor.post(f"{path}/verify", {"reason": "Tinjauan lapangan selesai"})
        final = assessor.post(f"{path}/finalize", {"reason": "Nilai akhir"})
        assert final["state"] == "final"
        ((key, value),) = verified.items()
        assert final["answers"][key] == value + 1 and final["verified"][key] == value

    # A: self .7 (3.5), final (.8 + .6 + .6)/3 = .6667 (3.33); B: self .6333 (3.17), final .6 (3.0)
    a_card = s.opd(A).get(f"/cycles/{cycle}/submissions/{A}/scorecard")
    assert (a_card["self"]["overall"], a_card["self"]["band"]) == (3.5, "Sangat Baik")
    assert (a_card["final"]["overall"], a_card["final"]["band"]) == (3.33, "Baik")
    assert a_card["difference"]["overall"] == -0.17
    assert a_card["self"]["dimensions"]["layanan"] == 4.5
    assert a_card["final"]["dimensions"]["layanan"] == 4.0
    assert a_card["difference"]["dimensions"] == {
        "layanan": -0.5,
        "tata-kelola": 0.0,
        "masyarakat": 0.0,
    }
    b_result = s.opd(B).get(f"/cycles/{cycle}/submissions/{B}")["result"]
    assert b_result == {
        "overall": 3.0,
        "band": "Baik",
        "self_overall": 3.17,
        "self_band": "Baik",
        "difference": -0.17,
    }

    # Before publication only reviewers see the cycle's scorecard.
    problem(s.viewer().call("GET", f"/cycles/{cycle}/scorecard"), 404)
    admin.post(f"/cycles/{cycle}/phase", {"phase": "finalization", "reason": "Tinjauan selesai"})
    published = admin.post(f"/cycles/{cycle}/publish")
    assert published["result"]["band"] == "Baik"

    # Aggregate (.6667 + .6)/2 = .6333 (3.17, Baik); 2019 was .441667: +.191667 = +0.96.
    card = s.opd(B).get(f"/cycles/{cycle}/scorecard")
    assert (card["overall"], card["band"], card["delta"]) == (3.17, "Baik", 0.96)
    assert card["dimensions"] == {"layanan": 3.75, "tata-kelola": 2.75, "masyarakat": 3.0}
    assert card["labels"]["dimensions"]["masyarakat"] == "Pelibatan masyarakat"
    assert [(r["rank"], r["unit"], r["overall"]) for r in card["ranking"]] == [
        (1, A, 3.33),
        (2, B, 3.0),
    ]
    assert card["not_scored"] == [C]

    # Each dimension against 2019: layanan .5 -> .75, tata kelola .425 -> .55, masyarakat .4 -> .6
    trend = s.viewer().get(f"/regions/{s.region}/trend", params={"framework": s.framework})
    points = {p["year"]: p for p in trend["points"]}
    assert sorted(points) == [2019, 2020]
    assert (points[2019]["band"], points[2020]["band"]) == ("Cukup", "Baik")
    assert points[2020]["change"] == 0.96
    assert points[2020]["dimension_changes"] == {
        "layanan": 1.25,
        "tata-kelola": 0.62,  # as shown: 2.75 - 2.13 (the exact .125 x 5 would be 0.63)
        "masyarakat": 1.0,
    }

    name = s.state["2020-name"]
    wait_mails(
        s.running,
        *((s.email(code), f"Hasil evaluasi {NAMES[code]} telah final", name) for code in (A, B)),
        (s.admin_email, f"Kartu nilai {name} telah terbit"),
    )
    s.state["weakest"] = card["ranking"][-1]["unit"]


def test_recommendations_go_to_the_weakest_unit_and_it_is_reminded(story: Story) -> None:
    s = story
    s.need("weakest")
    cycle, weakest = s.state["2020"], s.state["weakest"]
    assert weakest == B
    # Finalizing generated each unit's recommendations (indicators below 60 % of the scale,
    # 3.0 of 5); the assessor's re-run with a lower threshold finds them all there already.
    due_in = (local_deadline() - datetime.now(UTC).date()).days
    rerun = s.assessor().post(
        f"/cycles/{cycle}/submissions/{weakest}/recommendations",
        {"threshold": 2.5, "due_in_days": due_in},
        expect=201,
    )
    assert rerun["created"] == []
    # B's indicators below 2.5 of 5: layanan-daring (2/5 -> 2.0) and tk-data (40 % -> 2.0).
    mine = s.opd(B).get(f"/regions/{s.region}/recommendations")
    assert {r["unit"] for r in mine} == {B}
    order = ["layanan-daring", "tk-data"]
    weak = sorted(
        (r for r in mine if r["indicator_key"] in order and r["cycle_id"] == cycle),
        key=lambda r: order.index(r["indicator_key"]),
    )
    assert [r["indicator_key"] for r in weak] == order
    assert sorted(rerun["existing"]) == sorted(r["id"] for r in weak)
    assert all(r["unit"] == A for r in s.opd(A).get(f"/regions/{s.region}/recommendations"))

    # The assessor brings their due date to the reminder-friendly day: B is reminded.
    created = [
        s.assessor().patch(
            f"/regions/{s.region}/recommendations/{r['id']}",
            {"due_date": local_deadline().isoformat()},
        )
        for r in weak
    ]
    wait_mails(
        s.running,
        *((s.email(B), f"Rekomendasi baru untuk {NAMES[B]}: {r['title']}") for r in created),
        *((s.email(B), f'tindak lanjut rekomendasi "{r["title"]}" jatuh tempo') for r in created),
    )

    # B starts on the first one; then the cycle closes and nobody can change it any more.
    first = created[0]
    moved = s.opd(B).post(
        f"/regions/{s.region}/recommendations/{first['id']}/status",
        {"status": "in_progress", "note": "Rapat koordinasi dengan Diskominfo dijadwalkan."},
    )
    assert moved["status"] == "in_progress"
    s.admin().post(f"/cycles/{cycle}/phase", {"phase": "closed", "reason": "Hasil diumumkan"})
    late = s.opd(C).call(
        "PATCH", f"/cycles/{cycle}/submissions/{C}", {"answers": {"q-aduan": True}}
    )
    problem(late, 409)


def test_risks_from_community_engagement_and_sustainability(story: Story) -> None:
    s = story
    s.need("ready")
    base = f"/regions/{s.region}/risks"
    admin, opd_b = s.admin(), s.opd(B)
    raised = [
        admin.post(
            base,
            {
                "unit": C,
                "programme": "Musrenbang Desa",
                "perspective": "community_engagement",
                "title": f"Partisipasi warga di musrenbang desa menurun {s.sfx}",
                "likelihood": 4,
                "impact": 4,
                "mitigation": "Undangan melalui kepala desa dan radio komunitas.",
            },
            expect=201,
        ),
        admin.post(
            base,
            {
                "unit": A,
                "programme": "Posyandu Keliling",
                "perspective": "sustainability",
                "title": f"Posyandu keliling berhenti tanpa dana desa {s.sfx}",
                "likelihood": 5,
                "impact": 4,
            },
            expect=201,
        ),
        opd_b.post(
            base,
            {
                "unit": B,
                "perspective": "sustainability",
                "title": f"Anggaran pemeliharaan aplikasi sekolah belum ada {s.sfx}",
                "likelihood": 2,
                "impact": 3,
            },
            expect=201,
        ),
    ]
    assert [(r["score"], r["rating"]) for r in raised] == [
        (16, "high"),
        (20, "extreme"),
        (6, "medium"),
    ]
    problem(opd_b.call("POST", base, {**_risk_body(A), "title": "not B's"}), 403)

    heat = s.assessor().get(f"{base}/heatmap")
    assert heat["total"] == 3
    assert heat["by_perspective"]["community_engagement"] == 1
    assert heat["by_perspective"]["sustainability"] == 2
    assert heat["by_level"] == {"low": 0, "medium": 1, "high": 1, "extreme": 1}
    assert (heat["grid"][3][3], heat["grid"][4][3], heat["grid"][1][2]) == (1, 1, 1)
    grouped = admin.get(f"{base}/by-perspective")
    assert [r["score"] for r in grouped["sustainability"]] == [20, 6]  # worst first
    assert [r["unit"] for r in grouped["community_engagement"]] == [C]
    assert opd_b.get(f"{base}/heatmap")["total"] == 1  # an OPD counts its own only

    # High and extreme risks are mailed to the unit and Diskominfo; a medium one is not.
    high, extreme = raised[0]["title"], raised[1]["title"]
    wait_mails(
        s.running,
        (s.email(C), f"Risiko tinggi: {high}"),
        (s.email(A), f"Risiko ekstrem: {extreme}"),
        (s.admin_email, f"Risiko tinggi: {high}"),
        (s.admin_email, f"Risiko ekstrem: {extreme}"),
    )
    assert not mails_to(s.running, s.email(B), "Risiko")


def _risk_body(unit: str) -> dict[str, Any]:
    return {
        "unit": unit,
        "perspective": "sustainability",
        "title": "x",
        "likelihood": 1,
        "impact": 1,
    }


def _innovation(name: str, owner: str, year: int, **extra: Any) -> dict[str, Any]:
    body = {
        "name": name,
        "owner_unit": owner,
        "year": year,
        "initiator": "opd",
        "type": "digital",
        "form": "public_service",
        "pillar": "governance",
        "description": f"{name}: layanan yang lebih dekat ke warga.",
        "evidence": [
            {"url": f"https://dokumen.batangkab.go.id/inovasi/{owner}.pdf", "description": "SK"}
        ],
    }
    return {**body, **extra}


def test_innovations_quota_report_and_the_short_opds_reminded(story: Story) -> None:
    s = story
    s.need("ready")
    y, region = s.year, s.region
    admin = s.admin("innovation")
    # When each OPD arrived the year's quota was checked: all four were short by 3.
    wait_mails(
        s.running,
        *((s.email(code), f"Kuota inovasi {y}: {NAMES[code]} masih kurang 3") for code in NAMES),
    )

    # The master plan the innovations accelerate (reviewed in the next test).
    end = max(2027, y + 2)
    plan = admin.post(
        f"/regions/{region}/masterplans",
        {
            "title": "Masterplan Smart City Kabupaten Batang",
            "start_year": 2018,
            "end_year": end,
            "programmes": [
                {"id": "SG-01", "name": "Mal pelayanan publik", "pillar": "governance",
                 "horizon": "quick_win", "owner_unit": A, "start_year": 2018,
                 "end_year": 2020, "status": "in_progress"},
                {"id": "SL-01", "name": "Kesehatan keliling desa", "pillar": "living",
                 "horizon": "long", "owner_unit": A, "start_year": 2018,
                 "status": "in_progress"},
                {"id": "SS-01", "name": "Ekosistem belajar desa", "pillar": "society",
                 "horizon": "medium", "owner_unit": B, "start_year": y - 4,
                 "end_year": y - 1, "status": "in_progress"},
                {"id": "SE-01", "name": "Bank sampah kecamatan", "pillar": "environment",
                 "horizon": "short", "owner_unit": C, "start_year": 2018,
                 "end_year": 2020, "status": "completed"},
            ],
        },
        expect=201,
    )  # fmt: skip
    s.state["plan"] = plan["id"]

    base = f"/regions/{region}/innovations"
    trial, started = {"stage": "trial", "trial_start": f"{y}-02-01"}, f"{y}-01-15"
    registered = {
        A: [
            s.opd(A, "innovation").post(base, body, expect=201)
            for body in (
                _innovation(
                    "Posyandu Keliling Malam", A, y, type="non_digital", pillar="living",
                    stage="implemented", trial_start=started, implementation_start=f"{y}-03-01",
                    programme_id="SL-01",
                ),
                _innovation("SIMPUS Daring", A, y, pillar="living", **trial),
                _innovation("Antrean Puskesmas lewat WhatsApp", A, y, **trial),
            )
        ],
        B: [
            s.opd(B, "innovation").post(base, body, expect=201)
            for body in (
                _innovation("Rapor Digital Terpadu", B, y, pillar="society",
                            programme_id="SS-01", **trial),
                _innovation("Kelas Coding Desa", B, y, pillar="society"),  # initiative
            )
        ],
        C: [
            s.opd(C, "innovation").post(base, body, expect=201)
            for body in (
                _innovation("e-Musrenbang", C, y, **trial),
                _innovation("Dasbor Data Pembangunan", C, y, stage="implemented",
                            trial_start=started, implementation_start=f"{y}-04-01"),
            )
        ],
    }  # fmt: skip
    # An OPD registers for itself only.
    problem(s.opd(A, "innovation").call("POST", base, _innovation("Bukan milik A", B, y)), 403)
    rapor = registered[B][0]
    milestone = {"title": "Uji coba di 10 SD", "planned_date": str(date.today() - timedelta(30))}
    s.opd(B, "innovation").post(f"{base}/{rapor['id']}/milestones", milestone, expect=201)

    listed = s.viewer("innovation").get(base, params={"year": str(y), "limit": "100"})
    assert listed["total"] == 7
    non_digital = s.viewer("innovation").get(base, params={"type": "non_digital"})
    assert [i["name"] for i in non_digital["items"]] == ["Posyandu Keliling Malam"]

    # The report: A meets the quota, B and C are short, D has none and owes all three.
    report = s.opd(D, "innovation").get(f"/regions/{region}/quota/{y}/compliance")
    rows = {r["unit"]: r for r in report["units"]}
    assert set(rows) == set(NAMES)
    got = {c: (r["registered"], r["counted"], r["shortfall"]) for c, r in rows.items()}
    assert got == {A: (3, 3, 0), B: (2, 1, 2), C: (2, 2, 1), D: (0, 0, 3)}
    assert rows[D]["unit_name"] == NAMES[D]
    assert report["totals"]["units_short"] == 3 and report["totals"]["shortfall"] == 6
    csv = s.opd(D, "innovation").call("GET", f"/regions/{region}/quota/{y}/compliance.csv")
    assert csv.status_code == 200 and NAMES[D] in csv.text

    # Diskominfo brings the deadline forward: the OPDs still short are reminded, A is not.
    admin.put(f"/regions/{region}/quota/{y}", {"deadline": local_deadline().isoformat()})
    reminded = wait_mails(
        s.running,
        *((s.email(c), f"Pengingat: batas kuota inovasi {y} untuk {NAMES[c]}") for c in (B, C, D)),
    )
    for mail in reminded:
        assert "belum memenuhi kuotanya" in mail["text"], mail["text"]
    assert not mails_to(s.running, s.email(A), "Pengingat: batas kuota")
    s.state["innovations"] = registered


def test_the_master_plan_review_lists_programmes_behind_schedule(story: Story) -> None:
    s = story
    s.need("plan", "innovations")
    report = s.viewer("innovation").get(f"/regions/{s.region}/masterplans/{s.state['plan']}/report")
    lines = {p["id"]: p for p in report["programmes"]}
    behind = {pid for pid, p in lines.items() if p["behind_schedule"]}
    assert behind == {"SG-01", "SS-01"} and report["behind"] == 2
    assert any("period ended in 2020" in r for r in lines["SG-01"]["reasons"])
    assert any("milestone(s) overdue" in r for r in lines["SS-01"]["reasons"])
    assert lines["SL-01"]["progress"]["progress"] == 1.0  # its innovation is implemented
    assert [i["name"] for i in lines["SL-01"]["innovations"]] == ["Posyandu Keliling Malam"]
    assert lines["SE-01"]["reasons"] == []  # completed programmes are never behind
    pillars = {p["pillar"]: p for p in report["pillars"]}
    assert (pillars["governance"]["behind"], pillars["living"]["behind"]) == (1, 0)
