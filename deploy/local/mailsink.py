"""A local SMTP sink that keeps every message, with a small read-only HTTP view.

    .venv/bin/python deploy/local/mailsink.py --smtp-port 1025 --http-port 8025 --dir DIR

Each accepted message is stored as DIR/<n>-<uuid>.eml and indexed in DIR/index.jsonl.
Recipients whose local part starts with `reject-` get a permanent 550, `tempfail-` a transient
451, so tests can drive both failure paths. HTTP (127.0.0.1 only): `GET /` an HTML list,
`GET /api/messages`, `GET /api/messages/<id>`, `DELETE /api/messages` (clears everything).
"""

from __future__ import annotations

import argparse
import html
import json
import signal
import threading
import uuid
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class MailStore:
    """Messages on disk: one .eml each plus an append-only JSON-lines index. Thread-safe."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.index = self.dir / "index.jsonl"
        self.lock = threading.Lock()
        self.count = len(self._entries())

    def _entries(self) -> list[dict[str, Any]]:
        if not self.index.exists():
            return []
        return [json.loads(line) for line in self.index.read_text().splitlines() if line.strip()]

    def save(self, mail_from: str, rcpt_tos: list[str], data: bytes) -> str:
        headers = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
        with self.lock:
            self.count += 1
            msg_id = f"{self.count}-{uuid.uuid4()}"
            (self.dir / f"{msg_id}.eml").write_bytes(data)
            entry = {
                "id": msg_id,
                "received_at": datetime.now(UTC).isoformat(),
                "mail_from": mail_from,
                "rcpt_tos": rcpt_tos,
                "subject": str(headers.get("Subject", "")),
                "message_id": str(headers.get("Message-ID", "")),
            }
            with open(self.index, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return msg_id

    def messages(self) -> list[dict[str, Any]]:
        with self.lock:
            entries = self._entries()
        return [m for m in (self._load(e) for e in entries) if m is not None]

    def message(self, msg_id: str) -> dict[str, Any] | None:
        with self.lock:
            entries = [e for e in self._entries() if e["id"] == msg_id]
        return self._load(entries[0]) if entries else None

    def clear(self) -> None:
        with self.lock:
            for path in self.dir.glob("*.eml"):
                path.unlink()
            self.index.unlink(missing_ok=True)

    def _load(self, entry: dict[str, Any]) -> dict[str, Any] | None:
        try:
            raw = (self.dir / f"{entry['id']}.eml").read_bytes()
        except OSError:
            return None
        msg: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
        text, htm = msg.get_body(("plain",)), msg.get_body(("html",))
        return {
            "id": entry["id"],
            "from": str(msg.get("From", entry["mail_from"])),
            "to": entry["rcpt_tos"],
            "subject": entry["subject"],
            "date": str(msg.get("Date", "")) or entry["received_at"],
            "received_at": entry["received_at"],
            "message_id": entry["message_id"],
            "mail_from": entry["mail_from"],
            "headers": {k: str(v) for k, v in msg.items()},
            "text": text.get_content().replace("\r\n", "\n") if text is not None else "",
            "html": htm.get_content().replace("\r\n", "\n") if htm is not None else "",
            "attachments": [
                {
                    "filename": part.get_filename(),
                    "content_type": part.get_content_type(),
                    "size": len(part.get_payload(decode=True) or b""),
                }
                for part in msg.iter_attachments()
            ],
        }


class Handler:
    """aiosmtpd handler: refuses `reject-`/`tempfail-` recipients, stores everything else."""

    def __init__(self, store: MailStore) -> None:
        self.store = store

    async def handle_RCPT(  # noqa: N802 (aiosmtpd hook name)
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject-"):
            return "550 5.1.1 mailbox unavailable"
        if local.startswith("tempfail-"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        data = envelope.original_content or b""
        self.store.save(envelope.mail_from or "", list(envelope.rcpt_tos), data)
        return "250 2.0.0 Message accepted for delivery"


def make_http_handler(store: MailStore) -> type[BaseHTTPRequestHandler]:
    class View(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet: the SMTP side logs enough
            pass

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: Any) -> None:
            self._send(
                status,
                json.dumps(data, ensure_ascii=False).encode(),
                "application/json; charset=utf-8",
            )

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].rstrip("/")
            if path == "/api/messages":
                self._json(200, store.messages())
            elif path.startswith("/api/messages/"):
                found = store.message(path.rsplit("/", 1)[1])
                self._json(200, found) if found else self._json(404, {"error": "no such message"})
            elif path == "":
                self._send(200, render_index(store.messages()).encode(), "text/html; charset=utf-8")
            else:
                self._json(404, {"error": "not found"})

        def do_DELETE(self) -> None:
            if self.path.split("?", 1)[0].rstrip("/") == "/api/messages":
                store.clear()
                self._json(200, {"deleted": True})
            else:
                self._json(404, {"error": "not found"})

    return View


def render_index(messages: list[dict[str, Any]]) -> str:
    def row(m: dict[str, Any]) -> str:
        cells = [m["received_at"], m["from"], ", ".join(m["to"])]
        body = html.escape(m["text"] or m["html"])
        summary = (
            f"<details><summary>{html.escape(m['subject'])}</summary><pre>{body}</pre></details>"
        )
        return (
            "<tr>"
            + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
            + f"<td>{summary}</td></tr>"
        )

    rows = "".join(row(m) for m in reversed(messages))
    return (
        "<!doctype html><meta charset=utf-8><title>Mail sink</title>"
        "<style>body{font-family:sans-serif}pre{white-space:pre-wrap}"
        "td{border-bottom:1px solid #ccc;padding:4px;vertical-align:top}</style>"
        f"<h1>Mail sink: {len(messages)} message(s)</h1>"
        "<p>JSON: <a href=/api/messages>/api/messages</a></p>"
        f"<table><tr><th>received</th><th>from</th><th>to</th><th>subject</th></tr>{rows}</table>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()

    store = MailStore(args.dir.resolve())
    controller = Controller(
        Handler(store), hostname="127.0.0.1", port=args.smtp_port, enable_SMTPUTF8=True
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", args.http_port), make_http_handler(store))
    httpd.daemon_threads = True
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())

    controller.start()
    web = threading.Thread(target=httpd.serve_forever, name="http", daemon=True)
    web.start()
    print(
        f"mailsink: SMTP 127.0.0.1:{args.smtp_port}, HTTP http://127.0.0.1:{args.http_port}/, "
        f"dir {store.dir}",
        flush=True,
    )
    stopping.wait()
    httpd.shutdown()
    controller.stop()
    print("mailsink: stopped", flush=True)


if __name__ == "__main__":
    main()
