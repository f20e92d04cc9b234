"""`serve`'s preview server: the output folder over HTTP on 127.0.0.1, pages that reload after
each rebuild, and a failed rebuild's error shown on them.

The standard library's threading HTTP server is enough for one person previewing their own
outputs: a page, its pictures and one event stream. Reload is by server-sent events
(/__briefkit/events sends the build's generation; the page reloads when it changes), added to
each HTML page as it is sent, so index.html on disk stays script-free. Nothing is fetched from
anywhere else. Files are sent with `no-store`, so a reloaded page never shows a stale picture.
"""
from __future__ import annotations

import errno
import html
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import UsageError

HOST = "127.0.0.1"  # never reachable from another machine
EVENTS = "/__briefkit/events"
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream, so proxies keep it open


class LiveState:
    """What the pages follow: a generation that grows with every rebuild that changed something,
    and the error of the last rebuild when it failed."""

    def __init__(self) -> None:
        self.generation = 0
        self.error: str | None = None
        self.stopping = False
        self._changed = threading.Condition()

    def rebuilt(self, error: str | None, changed: bool = True) -> None:
        """After a rebuild: pages reload when outputs changed or the error came or went."""
        with self._changed:
            if changed or error != self.error:
                self.generation += 1
            self.error = error
            self._changed.notify_all()

    def wait(self, seen: int | None, timeout: float) -> int:
        """The generation, once it differs from `seen` (or the timeout passes, or the server stops)."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != seen or self.stopping, timeout)
            return self.generation

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()


def reload_script(generation: int) -> str:
    return ("<script>/* added by briefkit serve: reload after each rebuild */\n"
            f'(function(){{var seen="{generation}";var events=new EventSource("{EVENTS}");'
            'events.onmessage=function(e){if(e.data!==seen){events.close();location.reload();}};})();</script>')


def error_box(error: str) -> str:
    return ('<div id="briefkit-build-error" role="alert" style="background:#fff;color:#1a1a1a;border:3px solid #a3001b;'
            'border-radius:6px;padding:10px 16px;margin:16px 0;font:15px/1.45 system-ui,sans-serif">'
            '<p style="margin:0 0 6px;color:#a3001b"><strong>The last save did not build.</strong> '
            'What this page shows are the last good outputs; fix the error below and save again.</p>'
            '<pre style="white-space:pre-wrap;margin:0;font:13px/1.4 ui-monospace,monospace">'
            f"{html.escape(error)}</pre></div>")


def live_page(page: str, state: LiveState) -> str:
    """An HTML page as `serve` sends it: the error box first in <main> (or <body>), the reload
    script last."""
    if state.error is not None:
        lowered = page.lower()
        start = lowered.find("<main")
        if start < 0:
            start = lowered.find("<body")
        at = page.find(">", start) + 1 if start >= 0 else 0
        page = page[:at] + error_box(state.error) + page[at:]
    end = page.lower().rfind("</body>")
    script = reload_script(state.generation)
    return page[:end] + script + page[end:] if end >= 0 else page + script


PLACEHOLDER = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Briefings</title></head>'
               '<body><main><h1>Briefings</h1><p>Nothing is built yet: this page shows the overview as soon as '
               'a build succeeds.</p></main></body></html>')


class _Handler(SimpleHTTPRequestHandler):
    state: LiveState

    def __init__(self, *args: Any, state: LiveState, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # the console is for rebuilds, not requests
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == EVENTS:
            self._events()
            return
        if any(part.startswith(".") and part != ".previews" for part in path.split("/")):
            self.send_error(404, "not served")  # the cache, journal and lock are the build's own
            return
        file = Path(self.translate_path(path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html" and (file.is_file() or path == "/index.html" or path == "/"):
            page = file.read_text(encoding="utf-8") if file.is_file() else PLACEHOLDER
            self._send(live_page(page, self.state).encode("utf-8"), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen: int | None = None
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not self.state.stopping:
                generation = self.state.wait(seen, KEEP_ALIVE)
                self.wfile.write(f"data: {generation}\n\n".encode() if generation != seen else b": idle\n\n")
                self.wfile.flush()
                seen = generation
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True   # an open event stream never holds up stopping
    block_on_close = False

    def __init__(self, folder: Path, port: int) -> None:
        self.state = LiveState()
        super().__init__((HOST, port), partial(_Handler, directory=str(folder), state=self.state))
        self.thread = threading.Thread(target=self.serve_forever, name="briefkit-serve", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def stop(self) -> None:
        self.state.stop()
        self.shutdown()
        self.server_close()


def start_server(folder: Path, port: int) -> PreviewServer:
    """Serve `folder` on 127.0.0.1:`port` (0: any free port) from a thread; a port in use is an
    error that says what to do."""
    try:
        server = PreviewServer(folder, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"--port {port}: the port is in use on {HOST} (another serve, or another program); "
                             "choose another with --port N, or --port 0 for any free port") from None
        if exc.errno == errno.EACCES:
            raise UsageError(f"--port {port}: not allowed to listen on it; choose a port from 1024 up") from None
        raise UsageError(f"--port {port}: cannot listen on {HOST}: {exc.strerror}") from None
    server.thread.start()
    return server
