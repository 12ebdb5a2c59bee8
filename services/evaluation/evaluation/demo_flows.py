"""The demo's cycles, submissions, recommendations and risks, each step guarded by the
current state so that running the demo twice changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from . import demo_data as data
from .domain import parse_framework

if TYPE_CHECKING:
    from .demo import Api, Demo

FRAMEWORK = "smart-city-6-pillars"
RETURN_COMMENT = "Lampirkan SK yang sudah ditandatangani dan foto kegiatan."


def _contains(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(current.get(k) == v for k, v in wanted.items())


class Flows:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.admin, self.assessor = demo.admin, demo.assessor
        self.frameworks: dict[int, Any] = {}

    def framework(self, version: int) -> Any:
        if version not in self.frameworks:
            doc = self.admin.get(f"/frameworks/{FRAMEWORK}/versions/{version}")
            self.frameworks[version] = parse_framework(doc["document"])
        return self.frameworks[version]

    def open_cycle(
        self, year: int, version: int, previous: int | None, **extra: Any
    ) -> dict[str, Any]:
        cycle_id = f"{data.REGION}:{year}:{FRAMEWORK}"
        body = {
            "year": year,
            "name": f"Evaluasi Gerakan Menuju 100 Smart City {year}",
            "framework_key": FRAMEWORK,
            "framework_version": version,
            "participants": list(data.OPDS),
            **extra,
        }
        if previous is not None:
            body["carry_forward_from"] = f"{data.REGION}:{previous}:{FRAMEWORK}"
        self.admin.post(f"/regions/{data.REGION}/cycles", body)
        return self.admin.get(f"/cycles/{cycle_id}")  # type: ignore[no-any-return]

    def past_year(self, year: int, version: int, previous: int | None) -> None:
        """A finished cycle: OPDs submit, are reviewed and finalized; deadline recorded
        afterwards; scorecard published; cycle closed."""
        phases = [
            {"phase": "self_assessment", "starts_on": f"{year}-06-01", "ends_on": f"{year}-08-31"},
            {"phase": "document_review", "starts_on": f"{year}-09-01", "ends_on": f"{year}-09-30"},
            {"phase": "field_review", "starts_on": f"{year}-10-01", "ends_on": f"{year}-10-31"},
            {"phase": "finalization", "starts_on": f"{year}-11-01", "ends_on": f"{year}-11-30"},
        ]
        cycle = self.open_cycle(year, version, previous, phases=phases)
        framework = self.framework(version)
        for unit, maturity in data.MATURITY[year].items():
            profile = data.profile(framework, unit, year, maturity)
            self.drive(cycle["id"], unit, profile, "final", data.RETURNED_ONCE.get(year) == unit)
        path = f"/cycles/{cycle['id']}"
        if not cycle["published"]:
            if not cycle["submission_deadline"]:
                body = {"submission_deadline": f"{year}-08-31", "reason": "Batas pengisian mandiri"}
                self.admin.call("PUT", f"{path}/deadline", body)
            if cycle["phase"] != "finalization":
                self.admin.post(f"{path}/phase", {"phase": "finalization"})
            self.admin.post(f"{path}/publish")
        if cycle["phase"] != "closed":
            self.admin.post(f"{path}/phase", {"phase": "closed", "reason": "Hasil diumumkan"})
        card = self.admin.get(f"{path}/scorecard")
        print(f"cycle {year}: {card['overall']} {card['band']} (change {card['delta']})")

    def open_year(self, year: int, deadline: date) -> None:
        """The current cycle: deadline in the future, drafts carried forward from last year,
        two OPDs already submitted, one still drafting."""
        start = deadline - timedelta(days=75)
        phases = [
            {"phase": "self_assessment", "starts_on": str(start), "ends_on": str(deadline)},
            {"phase": "document_review", "starts_on": str(deadline + timedelta(days=1)),
             "ends_on": str(deadline + timedelta(days=30))},
            {"phase": "field_review", "starts_on": str(deadline + timedelta(days=31)),
             "ends_on": str(deadline + timedelta(days=60))},
        ]  # fmt: skip
        cycle = self.open_cycle(year, 2, year - 1, phases=phases, submission_deadline=str(deadline))
        framework = self.framework(2)
        for unit, target in data.DRAFTS_2020.items():
            maturity = data.MATURITY[year - 1].get(unit, 0.4) + 0.06
            profile = data.profile(framework, unit, year, maturity)
            if target == "draft":  # a few answers changed so far
                keys = list(profile.answers)[:10]
                profile = data.Profile({k: profile.answers[k] for k in keys}, {}, {}, {}, {})
            self.drive(cycle["id"], unit, profile, target)
        print(f"cycle {year}: open until {cycle['submission_deadline']}")

    def drive(
        self,
        cycle_id: str,
        unit: str,
        profile: data.Profile,
        target: str,
        return_once: bool = False,
    ) -> None:
        """Move one submission to `target`, doing only the steps still missing."""
        path = f"/cycles/{cycle_id}/submissions/{unit}"
        opd = self.demo.as_("opd", unit, name=f"Operator {data.OPDS[unit]}")
        doc = self.admin.get(path)
        for _ in range(12):
            state = doc["state"]
            if state in (target, "final"):
                return
            if state in ("draft", "returned"):
                doc = self._save(opd, path, doc, profile, state == "returned")
                if target == "draft":
                    return
                doc = opd.post(f"{path}/submit", {"reason": "Pengisian mandiri selesai"})
            elif state == "submitted":
                doc = self.assessor.post(f"{path}/start-review")
            elif state == "in_review" and return_once and not doc["returns"]:
                comments = {k: RETURN_COMMENT for k in list(profile.evidence)[:2]}
                body = {"reason": "Bukti dukung belum lengkap", "comments": comments}
                doc = self.assessor.post(f"{path}/return", body)
            elif state == "in_review":
                self._review(path, doc, profile)
                doc = self.assessor.post(f"{path}/verify", {"reason": "Tinjauan lapangan selesai"})
            elif state == "verified":
                doc = self.assessor.post(f"{path}/finalize", {"reason": "Nilai akhir"})

    def _save(
        self, opd: Api, path: str, doc: dict[str, Any], profile: data.Profile, fix: bool
    ) -> dict[str, Any]:
        evidence = dict(profile.evidence)
        if fix:  # the revision adds the signed documents the assessor asked for
            for key in doc["comments"]:
                evidence[key] = [*evidence.get(key, []), f"{evidence[key][0]}?revisi=1"]
        if _contains(doc["answers"], profile.answers) and _contains(doc["evidence"], evidence):
            return doc
        return opd.call("PATCH", path, {"answers": profile.answers, "evidence": evidence})

    def _review(self, path: str, doc: dict[str, Any], profile: data.Profile) -> None:
        wanted: list[dict[str, Any]] = [profile.verified, profile.notes, profile.scores]
        have: list[dict[str, Any]] = [doc["verified"], doc["review_notes"], doc["assessor_scores"]]
        if all(_contains(h, w) for h, w in zip(have, wanted, strict=True)):
            return
        body = {
            "verified": profile.verified,
            "notes": profile.notes,
            "assessor_scores": profile.scores,
        }
        self.assessor.call("PATCH", f"{path}/review", body)

    def recommendations(self, year: int) -> None:
        cycle_id = f"{data.REGION}:{year}:{FRAMEWORK}"
        for unit in data.MATURITY[year]:
            path = f"/cycles/{cycle_id}/submissions/{unit}/recommendations"
            self.assessor.post(path, {"threshold": 3.0, "limit": 2, "due_in_days": 120})
        base = f"/regions/{data.REGION}/recommendations"
        for item in data.RECOMMENDATIONS:
            body = {k: v for k, v in item.items() if k not in ("status", "note")}
            self.assessor.post(base, {**body, "cycle_id": cycle_id})
            current = self.admin.get(f"{base}/{item['recommendation_id']}")
            if current["status"] != item["status"]:
                opd = self.demo.as_("opd", item["unit"])
                status = {"status": item["status"], "note": item.get("note", "")}
                opd.post(f"{base}/{item['recommendation_id']}/status", status)
        overdue = self.admin.get(f"{base}/overdue")
        print(f"recommendations: {len(self.admin.get(base))} ({len(overdue)} overdue)")

    def risks(self) -> None:
        base = f"/regions/{data.REGION}/risks"
        for item in data.RISKS:
            body = {k: v for k, v in item.items() if k != "reassess"}
            self.admin.post(base, body)
            current = self.admin.get(f"{base}/{item['risk_id']}")
            if "reassess" in item and len(current["history"]) == 1:
                likelihood, impact = item["reassess"]
                reassessment = {"likelihood": likelihood, "impact": impact, "note": "Tinjauan 2020"}
                self.admin.post(f"{base}/{item['risk_id']}/assessments", reassessment)
        heat = self.admin.get(f"{base}/heatmap")
        print(f"risks: {heat['total']} ({heat['by_perspective']})")
