"""A local SMTP sink that keeps every message in a Maildir and shows them on a small web page.

Development and the end-to-end tests point the notifications service here instead of a real mail server,
so a person can read exactly what the system sent.
"""

from __future__ import annotations

import argparse
import html
import json
import mailbox
import signal
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


def open_maildir(path: Path) -> mailbox.Maildir:
    # Maildir(create=True) makes tmp/new/cur only when the folder itself is new, so make them here.
    for sub in ("tmp", "new", "cur"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    return mailbox.Maildir(path, create=False)


class MaildirHandler:
    def __init__(self, maildir: Path) -> None:
        self.box = open_maildir(maildir)
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.box.add(envelope.content)
        return "250 Message accepted for delivery"


def read_messages(maildir: Path) -> list[dict[str, str]]:
    """Every kept message, oldest first, as plain fields (also served as JSON for tests)."""
    box = open_maildir(maildir)
    messages = []
    for key in box.keys():
        with box.get_file(key) as handle:
            parsed = message_from_bytes(handle.read(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        body = parsed.get_body(preferencelist=("plain", "html"))
        messages.append({
            "id": key, "date": str(parsed["Date"] or ""), "from": str(parsed["From"] or ""),
            "to": str(parsed["To"] or ""), "subject": str(parsed["Subject"] or ""),
            "message_id": str(parsed["Message-ID"] or ""), "text": body.get_content() if body else "",
        })
    return sorted(messages, key=lambda m: m["id"])


def make_web_handler(maildir: Path) -> type[BaseHTTPRequestHandler]:
    class Viewer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            messages = read_messages(maildir)
            if self.path.startswith("/messages.json"):
                self._send("application/json", json.dumps(messages).encode())
                return
            rows = "".join(
                f"<article><h2>{html.escape(m['subject'])}</h2><p><b>To:</b> {html.escape(m['to'])}"
                f" &nbsp; <b>From:</b> {html.escape(m['from'])} &nbsp; <b>Date:</b> {html.escape(m['date'])}</p>"
                f"<pre>{html.escape(m['text'])}</pre></article><hr>" for m in reversed(messages))
            page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>SMTP sink</title></head>"
                    f"<body style='font-family:sans-serif;max-width:60em;margin:auto'><h1>Messages sent"
                    f" ({len(messages)})</h1>{rows or '<p>No messages yet.</p>'}</body></html>")
            self._send("text/html; charset=utf-8", page.encode())

        def _send(self, content_type: str, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Viewer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--web-port", type=int, default=1080)
    parser.add_argument("--maildir", type=Path, default=Path("data/mail"))
    args = parser.parse_args()
    controller = Controller(MaildirHandler(args.maildir), hostname=args.host, port=args.smtp_port)
    controller.start()
    web = ThreadingHTTPServer((args.host, args.web_port), make_web_handler(args.maildir))
    threading.Thread(target=web.serve_forever, daemon=True).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    web.shutdown()
    controller.stop()


if __name__ == "__main__":
    main()
