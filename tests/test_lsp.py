"""The language server (``asynclint server``), driven as an editor drives it: the real process,
JSON-RPC with Content-Length framing over its stdin/stdout. Plus the position helpers, in
process."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest

pytest.importorskip("pygls.lsp.server", reason="the language server needs pygls >= 2")

from lsprotocol import types

from asynclint import lsp

TIMEOUT = 30.0

SOURCE = "import asyncio, time\n\nasync def f():\n    time.sleep(1)\n    asyncio.create_task(f())\n"


class LspClient:
    """A minimal LSP client: requests with ids, notifications, and answers to the server's
    requests."""

    def __init__(self, cwd: Path, log: Path) -> None:
        self._log = open(log, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "asynclint", "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            cwd=str(cwd),
        )
        self._next_id = 0
        self._write_lock = threading.Lock()
        self._responses: Dict[int, queue.Queue[dict]] = {}
        self.notifications: queue.Queue[dict] = queue.Queue()
        self.backlog: List[dict] = []  # notifications received and not yet taken by wait_for
        self.server_requests: List[dict] = []
        #: How to answer the server's requests, by method; anything else is answered with null.
        self.answers: Dict[str, Callable[[Any], Any]] = {}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # transport

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        with self._write_lock:
            assert self.process.stdin is not None
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            assert length is not None, "a message without Content-Length"
            message = json.loads(stream.read(length).decode("utf-8"))
            if "id" in message and "method" in message:  # a request from the server
                self.server_requests.append(message)
                answer = self.answers.get(message["method"], lambda params: None)
                self._send(
                    {"jsonrpc": "2.0", "id": message["id"], "result": answer(message.get("params"))}
                )
            elif "id" in message:
                self._responses.setdefault(message["id"], queue.Queue()).put(message)
            else:
                self.notifications.put(message)

    # API

    def request(self, method: str, params: Any) -> Any:
        self._next_id += 1
        ident = self._next_id
        box = self._responses.setdefault(ident, queue.Queue())
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        try:
            response = box.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"no response to {method} within {TIMEOUT} s") from None
        assert "error" not in response, response["error"]
        return response.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(
        self, method: str, predicate: Callable[[dict], bool] = lambda params: True
    ) -> dict:
        """The params of the earliest notification ``method`` satisfying ``predicate`` not yet taken
        (waiting for it if need be). Notifications of other kinds stay for later calls."""
        index = 0
        while True:
            while index < len(self.backlog):
                message = self.backlog[index]
                if message.get("method") == method and predicate(message["params"]):
                    del self.backlog[index]
                    return message["params"]
                index += 1
            try:
                self.backlog.append(self.notifications.get(timeout=TIMEOUT))
            except queue.Empty:
                raise AssertionError(
                    f"no {method} matching within {TIMEOUT} s; other notifications: {self.backlog}"
                ) from None

    def diagnostics(
        self,
        uri: str,
        version: Optional[int] = None,
        predicate: Callable[[List[dict]], bool] = lambda diagnostics: True,
    ) -> List[dict]:
        params = self.wait_for(
            "textDocument/publishDiagnostics",
            lambda p: (
                p["uri"] == uri
                and (version is None or p.get("version") == version)
                and predicate(p["diagnostics"])
            ),
        )
        return params["diagnostics"]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self._log.close()


@pytest.fixture
def start(tmp_path):
    clients = []

    def start_client(cwd: Path = tmp_path) -> LspClient:
        client = LspClient(cwd, tmp_path / f"server-{len(clients)}.log")
        clients.append(client)
        return client

    yield start_client
    for client in clients:
        client.close()


def initialize(
    client: LspClient, root: Path, options: Any = None, capabilities: Optional[dict] = None
) -> dict:
    result = client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "capabilities": capabilities
            if capabilities is not None
            else {
                "workspace": {"configuration": False},
                "textDocument": {"publishDiagnostics": {"versionSupport": True}},
            },
            "initializationOptions": options,
        },
    )
    client.notify("initialized", {})
    return result


def stop(client: LspClient) -> int:
    assert client.request("shutdown", None) is None
    client.notify("exit", None)
    return client.process.wait(TIMEOUT)


def offset(text: str, position: dict) -> int:
    """A UTF-16 LSP position as an offset in ``text`` (the test's own, independent conversion).
    Lines end at \\n, \\r\\n or \\r only, as LSP says (not at form feeds or U+2028)."""
    starts = [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]
    if position["line"] >= len(starts):
        return len(text)
    index, units = starts[position["line"]], 0
    while index < len(text) and units < position["character"] and text[index] not in "\r\n":
        units += 2 if ord(text[index]) > 0xFFFF else 1
        index += 1
    return index


def apply_edits(text: str, edits: List[dict]) -> str:
    spans = sorted(
        (
            (offset(text, e["range"]["start"]), offset(text, e["range"]["end"]), e["newText"])
            for e in edits
        ),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def workspace_edits(edit: dict, uri: str) -> List[dict]:
    if "documentChanges" in edit:
        return [
            e
            for change in edit["documentChanges"]
            if change["textDocument"]["uri"] == uri
            for e in change["edits"]
        ]
    return edit["changes"][uri]


def codes(diagnostics: List[dict]) -> List[str]:
    return sorted(d["code"] for d in diagnostics)


def is_ignore(action: dict) -> bool:
    """The "ignore this finding" quick fix (a noqa comment), offered next to every fix."""
    return action["title"].startswith("Ignore ASL")


def fixes(actions: List[dict]) -> List[dict]:
    return [a for a in actions if not is_ignore(a)]


def test_server_session(start, tmp_path):
    client = start()
    result = initialize(client, tmp_path, {"asynclint": {"select": ["ASL1", "ASL4"]}})
    assert result["serverInfo"]["name"] == "asynclint"
    capabilities = result["capabilities"]
    assert "source.fixAll.asynclint" in capabilities["codeActionProvider"]["codeActionKinds"]
    uri = (tmp_path / "service.py").as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SOURCE}},
    )
    diagnostics = client.diagnostics(uri, version=1)
    assert codes(diagnostics) == ["ASL100", "ASL400"]
    by_code = {d["code"]: d for d in diagnostics}
    blocking = by_code["ASL100"]
    assert blocking["range"] == {
        "start": {"line": 3, "character": 4},
        "end": {"line": 3, "character": 17},
    }
    assert by_code["ASL400"]["range"] == {
        "start": {"line": 4, "character": 4},
        "end": {"line": 4, "character": 28},
    }
    assert blocking["severity"] == types.DiagnosticSeverity.Warning
    assert blocking["source"] == "asynclint"
    assert "time.sleep()" in blocking["message"]

    # A quick fix for the blocking call, applied as the editor would.
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": blocking["range"],
            "context": {"diagnostics": [blocking], "only": ["quickfix"]},
        },
    )
    quick = [a for a in fixes(actions) if a["kind"] == "quickfix"]
    assert len(quick) == 1 and quick[0]["diagnostics"][0]["code"] == "ASL100"
    assert quick[0]["isPreferred"] is True
    fixed = apply_edits(SOURCE, workspace_edits(quick[0]["edit"], uri))
    assert "    await asyncio.sleep(1)\n" in fixed
    assert fixed == SOURCE.replace("time.sleep(1)", "await asyncio.sleep(1)")

    # An unsafe fix is offered too, but never as the preferred one.
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": by_code["ASL400"]["range"],
            "context": {"diagnostics": [by_code["ASL400"]], "only": ["quickfix"]},
        },
    )
    assert [(a["title"].endswith("(unsafe)"), a["isPreferred"]) for a in fixes(actions)] == [
        (True, False)
    ]

    # Fix all: every safe fix, as `asynclint check --fix` would write it.
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll.asynclint"]},
        },
    )
    assert [a["kind"] for a in actions] == ["source.fixAll.asynclint"]
    fixed_all = apply_edits(SOURCE, workspace_edits(actions[0]["edit"], uri))
    assert fixed_all == fixed

    # An incremental change: the quick fix's edit itself; only the dangling task is left.
    edit = workspace_edits(quick[0]["edit"], uri)[0]
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": edit["range"], "text": edit["newText"]}],
        },
    )
    assert codes(client.diagnostics(uri, version=2)) == ["ASL400"]

    # A full change to clean code: no diagnostics.
    clean = fixed.replace("    asyncio.create_task(f())\n", "    await asyncio.gather(f())\n")
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": clean}]},
    )
    assert client.diagnostics(uri, version=3) == []

    # Saving lints again; the dangling task is back.
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": fixed}]},
    )
    assert codes(client.diagnostics(uri, version=4)) == ["ASL400"]
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert codes(client.diagnostics(uri, version=4)) == ["ASL400"]

    # New settings re-lint the open document; the initial select still applies.
    client.notify(
        "workspace/didChangeConfiguration", {"settings": {"asynclint": {"ignore": ["ASL400"]}}}
    )
    assert client.diagnostics(uri, version=4, predicate=lambda d: "ASL400" not in codes(d)) == []

    # Closing clears the document's diagnostics.
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []
    assert stop(client) == 0


def test_positions_config_file_and_errors(start, tmp_path):
    """UTF-16 ranges after non-BMP characters, syntax errors, the project config file layered under
    the editor's settings, a broken config file and unknown codes reported without killing the
    server, and lazily resolved code actions."""
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nignore = ["ASL400"]\n')
    client = start()
    initialize(
        client,
        tmp_path,
        {"ignore": ["ASL999"]},
        capabilities={
            "workspace": {"workspaceEdit": {"documentChanges": True}},
            "textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}},
        },
    )
    (tmp_path / "a dir é").mkdir()
    uri = (tmp_path / "a dir é" / "emoji.py").as_uri()  # percent-encoded
    assert "%20" in uri
    text = (
        "import asyncio, time\n\nasync def f():\n    s = '😀'; time.sleep(1)\n    "
        "asyncio.create_task(f())\n"
    )
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    diagnostics = client.diagnostics(uri, version=1)
    assert codes(diagnostics) == ["ASL100"]  # ASL400 ignored by pyproject.toml
    message = client.wait_for("window/showMessage")
    assert "ASL999" in message["message"] and message["type"] == types.MessageType.Warning
    # 'time' starts at code point 13 of the line (0-based); the emoji before it is 2 UTF-16 code
    # units.
    assert diagnostics[0]["range"] == {
        "start": {"line": 3, "character": 14},
        "end": {"line": 3, "character": 27},
    }

    # Lazy code actions: no edit until resolved; the edit is versioned (documentChanges).
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics},
        },
    )
    assert sorted(a["kind"] for a in fixes(actions)) == ["quickfix", "source.fixAll.asynclint"]
    assert all("edit" not in a for a in fixes(actions))
    quick = next(a for a in fixes(actions) if a["kind"] == "quickfix")
    resolved = client.request("codeAction/resolve", quick)
    assert resolved["edit"]["documentChanges"][0]["textDocument"]["version"] == 1
    assert apply_edits(text, workspace_edits(resolved["edit"], uri)) == text.replace(
        "time.sleep", "await asyncio.sleep"
    )
    fix_all = client.request(
        "codeAction/resolve", next(a for a in actions if a["kind"] != "quickfix")
    )
    assert apply_edits(text, workspace_edits(fix_all["edit"], uri)) == text.replace(
        "time.sleep", "await asyncio.sleep"
    )

    # An unsafe fix is offered as a quick fix too, said to be unsafe and not preferred.
    unawaited = "async def g():\n    pass\n\nasync def f():\n    g()\n"
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": unawaited}]},
    )
    (never_awaited,) = client.diagnostics(uri, version=2)
    assert never_awaited["code"] == "ASL200"
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": never_awaited["range"],
            "context": {"diagnostics": [never_awaited], "only": ["quickfix"]},
        },
    )
    assert [(a["title"], a["isPreferred"]) for a in fixes(actions)] == [
        ("Insert 'await' (unsafe)", False)
    ]
    resolved = client.request("codeAction/resolve", actions[0])
    assert apply_edits(unawaited, workspace_edits(resolved["edit"], uri)).endswith(
        "    await g()\n"
    )

    # A syntax error is an Error diagnostic.
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 3},
            "contentChanges": [{"text": "async def f(:\n    pass\n"}],
        },
    )
    (error,) = client.diagnostics(uri, version=3)
    assert error["code"] == "ASL001" and error["severity"] == types.DiagnosticSeverity.Error
    assert error["range"]["start"]["line"] == 0

    # A broken config file is reported; linting goes on with the defaults (ASL400 is back).
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nignore = "ASL400\n')
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": text}]},
    )
    assert codes(client.diagnostics(uri, version=4)) == ["ASL100", "ASL400"]
    message = client.wait_for("window/showMessage", lambda p: "pyproject.toml" in p["message"])
    assert message["type"] == types.MessageType.Error and "invalid TOML" in message["message"]
    assert stop(client) == 0


def test_ignore_this_finding_noqa_comments_and_rule_pages(start, tmp_path):
    """The "ignore" quick fix writes the finding's code into the line's noqa comment (or a new one)
    and the result silences it; noqa comments are read as the CLI reads them (a prefix, a peer's
    code); each diagnostic links to its rule's page; unused noqa codes are reported when
    selected."""
    client = start()
    initialize(client, tmp_path, {"asynclint": {"extendSelect": ["ASL006"], "ignore": ["RUF006"]}})
    uri = (tmp_path / "svc.py").as_uri()
    text = (
        "import asyncio, time\n"
        "\n"
        "async def f():\n"
        "    time.sleep(1)  # noqa: E501 (a long line)\n"
        "    await asyncio.wait_for(f(), 1)\n"
        "    asyncio.get_event_loop()\n"
        "    time.sleep(2)  # noqa:ASYNC251\n"
        "    time.sleep(3)  # noqa:ASL1\n"
        "    asyncio.create_task(f())\n"
        "    await asyncio.sleep(0)  # noqa: ASL100\n"
    )
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    diagnostics = client.diagnostics(uri, version=1)
    # ASL400 is ignored through the peer code RUF006; ASL006 reports the noqa with nothing to do.
    assert [(d["code"], d["range"]["start"]["line"]) for d in diagnostics] == [
        ("ASL100", 3),
        ("ASL203", 5),
        ("ASL006", 9),
    ]
    sleep, loop, unused = diagnostics
    assert sleep["codeDescription"]["href"].endswith("/ASL100.md")
    assert sleep["severity"] == unused["severity"] == types.DiagnosticSeverity.Warning
    assert "ASL100" in unused["message"]

    edited = text
    for version, diagnostic in enumerate((sleep, loop), 2):
        actions = client.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": diagnostic["range"],
                "context": {"diagnostics": [diagnostic], "only": ["quickfix"]},
            },
        )
        (ignore,) = [a for a in actions if is_ignore(a)]
        assert ignore["title"] == f"Ignore {diagnostic['code']} on this line (# noqa)"
        assert ignore["isPreferred"] is False
        edited = apply_edits(edited, workspace_edits(ignore["edit"], uri))
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": edited}],
            },
        )
    lines = edited.splitlines()
    assert lines[3] == "    time.sleep(1)  # noqa: E501, ASL100 (a long line)"  # merged
    assert lines[5] == "    asyncio.get_event_loop()  # noqa: ASL203"  # a new comment
    assert edited.replace("  # noqa: ASL203", "").replace(", ASL100", "") == text
    assert codes(client.diagnostics(uri, version=3)) == ["ASL006"]
    assert stop(client) == 0


def test_pulled_settings_and_watched_config_files(start, tmp_path):
    """A client of the pull model is asked for the settings; the server watches configuration
    files."""
    client = start()
    client.answers["workspace/configuration"] = lambda params: [{"ignore": ["ASL400"]}]
    initialize(
        client,
        tmp_path,
        capabilities={
            "workspace": {
                "configuration": True,
                "didChangeWatchedFiles": {"dynamicRegistration": True},
            }
        },
    )
    uri = (tmp_path / "service.py").as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SOURCE}},
    )
    assert codes(client.diagnostics(uri, version=1)) == ["ASL100", "ASL400"]
    (registration,) = [
        r for r in client.server_requests if r["method"] == "client/registerCapability"
    ]
    watched = registration["params"]["registrations"][0]
    assert watched["method"] == "workspace/didChangeWatchedFiles"
    assert {w["globPattern"] for w in watched["registerOptions"]["watchers"]} == {
        "**/pyproject.toml",
        "**/asynclint.toml",
    }

    client.notify("workspace/didChangeConfiguration", {"settings": None})
    assert codes(
        client.diagnostics(uri, version=1, predicate=lambda d: "ASL400" not in codes(d))
    ) == ["ASL100"]
    (asked,) = [r for r in client.server_requests if r["method"] == "workspace/configuration"]
    assert asked["params"]["items"] == [{"section": "asynclint"}]

    (tmp_path / "asynclint.toml").write_text('ignore = ["ASL100"]\n')
    client.notify(
        "workspace/didChangeWatchedFiles",
        {"changes": [{"uri": (tmp_path / "asynclint.toml").as_uri(), "type": 1}]},
    )
    assert client.diagnostics(uri, version=1, predicate=lambda d: d == []) == []
    assert stop(client) == 0


def test_utf32_positions_when_the_client_offers_them(start, tmp_path):
    client = start()
    result = initialize(
        client, tmp_path, capabilities={"general": {"positionEncodings": ["utf-32", "utf-16"]}}
    )
    assert result["capabilities"]["positionEncoding"] == "utf-32"
    uri = (tmp_path / "emoji.py").as_uri()
    text = "import time\n\nasync def f():\n    s = '😀'; time.sleep(1)\n"
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    (diagnostic,) = client.diagnostics(uri, version=1)
    assert diagnostic["range"] == {
        "start": {"line": 3, "character": 13},
        "end": {"line": 3, "character": 26},
    }
    assert stop(client) == 0


def test_exit_without_shutdown_is_an_error(start, tmp_path):
    client = start()
    initialize(client, tmp_path)
    client.notify("exit", None)
    assert client.process.wait(TIMEOUT) == 1


# -- in process: the position helpers ------------------------------------------------------------


def test_text_index_counts_utf16_code_units_by_default():
    text = "a😀b\r\nxy\rz\n"
    index = lsp.TextIndex(text)
    assert index.lsp_position(1, 1) == types.Position(0, 0)
    assert index.lsp_position(1, 3) == types.Position(0, 3)  # after the emoji: 2 code units
    assert index.lsp_position(1, 99) == types.Position(0, 4)  # clamped before the \r\n
    assert index.lsp_position(2, 2) == types.Position(1, 1)
    assert index.lsp_position(3, 2) == types.Position(2, 1)  # a lone \r ends a line too
    assert index.lsp_position(4, 1) == types.Position(3, 0)  # the empty line after the last newline
    assert index.lsp_position(9, 1) == types.Position(3, 0)
    assert index.position(len(text)) == types.Position(3, 0)


@pytest.mark.parametrize(
    "encoding, character",
    [
        (types.PositionEncodingKind.Utf16, 5),
        (types.PositionEncodingKind.Utf32, 4),
        (types.PositionEncodingKind.Utf8, 7),
    ],
)
def test_text_index_in_each_position_encoding(encoding, character):
    index = lsp.TextIndex('x="😋"\n', encoding)  # the closing quote
    assert index.lsp_position(1, 5) == types.Position(0, character)


def test_engine_edits_are_placed_right_around_form_feeds_and_line_separators():
    text = "import time\n\x0c\nx = '\u2028'\nasync def f():\n    time.sleep(1)\n"
    from asynclint import fixer

    fixed = text.replace("time.sleep(1)", "await asyncio.sleep(1)")
    edits = lsp.text_edits(text, fixer.text_edits(text, fixed), types.PositionEncodingKind.Utf16)
    assert (
        apply_edits(
            text,
            [
                {
                    "range": {
                        "start": {"line": e.range.start.line, "character": e.range.start.character},
                        "end": {"line": e.range.end.line, "character": e.range.end.character},
                    },
                    "newText": e.new_text,
                }
                for e in edits
            ],
        )
        == fixed
    )


def test_settings_nested_or_flat():
    assert lsp.read_settings({"asynclint": {"select": ["ASL1"], "extendSelect": "ASL2, ASL3"}}) == (
        {"select": ("ASL1",), "extend_select": ("ASL2", "ASL3")},
        [],
    )
    assert lsp.read_settings({"ignore": ["ASL400"], "python": {}}) == ({"ignore": ("ASL400",)}, [])
    found, problems = lsp.read_settings({"asynclint": {"ignore": 3, "colour": "red"}})
    assert found == {} and len(problems) == 2
    assert lsp.layer_settings({"select": ("ASL1",)}, {"ignore": ("ASL100",)}) == lsp.EditorSettings(
        select=("ASL1",), ignore=("ASL100",)
    )


def test_oversized_buffers_are_reported_not_linted():
    outcome = lsp.Workbench().lint(
        lsp.Target("file:///big.py", "/tmp/big.py", "x = 1\n" * 1_500_000), lsp.EditorSettings()
    )
    assert [f.code for f in outcome.findings] == ["ASL004"]
