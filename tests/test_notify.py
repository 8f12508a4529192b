"""`--notify`: the webhook payload as data, and its delivery to loopback receivers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http import HTTPStatus
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner

from bucketscan.policies.severity import Severity
from bucketscan.providers.memory import MemoryBucket
from bucketscan.records.common import Exposure
from bucketscan.scanner.cli import main
from bucketscan.scanner.emulators.loopback import JsonHandler, free_port, serve_http
from bucketscan.scanner.publish import publish
from bucketscan.scanner.publish.notify import NotifyError, payload, send, top_findings
from bucketscan.scanner.runner import ScanOutcome
from test_engine import PRIVATE_FACTS, body, public_facts, scan


@pytest.fixture(scope="module")
def outcome() -> ScanOutcome:
    buckets = (
        MemoryBucket("uploads", public_facts("uploads"), 40, body),
        MemoryBucket("hr", PRIVATE_FACTS, 5, body),
    )
    return scan(buckets)[0]


def test_payload_is_slack_blocks_with_machine_readable_counts(outcome: ScanOutcome) -> None:
    sent = payload(outcome)
    assert sent["text"] == "bucketscan aws: 4 exposed sensitive files"
    assert [block["type"] for block in sent["blocks"]] == [
        "header",
        "section",
        "section",
        "context",
    ]
    assert len(sent["blocks"][1]["fields"]) == 4
    data = sent["bucketscan"]
    assert data["findings_by_severity"] == {"critical": 4, "high": 0, "medium": 0, "low": 0}
    assert data["buckets_by_read"]["public"] == 1 and data["buckets_by_read"]["private"] == 1
    assert data["complete"] is True and data["duration_s"] == outcome.meta.duration_s
    assert data["objects_listed"] == 45
    top = data["top_findings"]
    assert [item["key"] for item in top] == [f"objects/{i:09d}.txt" for i in range(0, 40, 10)]
    assert {item["evidence"] for item in top} == {"ID-****"}
    json.dumps(sent)  # serialisable as is


def test_payload_never_carries_object_content(outcome: ScanOutcome) -> None:
    text = json.dumps(payload(outcome))
    assert "ID-CARD" not in text and "holiday" not in text


def test_top_findings_are_the_most_severe_ten(outcome: ScanOutcome) -> None:
    base = outcome.findings[0]
    many = [replace(base, key=f"k{i:02d}", severity=Severity.MEDIUM) for i in range(12)]
    many.append(replace(base, key="worst", severity=Severity.CRITICAL))
    ranked = top_findings(many)
    assert len(ranked) == 10
    assert ranked[0].key == "worst"
    assert {f.severity for f in ranked[1:]} == {Severity.MEDIUM}


def test_keys_are_inert_in_slack_markup(outcome: ScanOutcome) -> None:
    hostile = replace(outcome.findings[0], key="<!channel> <https://evil|click>\x1b[2J")
    text = payload(replace(outcome, findings=(hostile,)))["blocks"][2]["text"]["text"]
    assert "<!channel>" not in text and "<https" not in text and "\x1b" not in text
    assert "&lt;!channel&gt;" in text


def test_incomplete_scan_says_so(outcome: ScanOutcome) -> None:
    from bucketscan.scanner.meta import Interruption

    stopped = replace(outcome.meta, interruption=Interruption("SIGTERM", (), (), False, 0))
    sent = payload(replace(outcome, meta=stopped))
    assert sent["text"].endswith("(incomplete)")
    assert sent["bucketscan"]["complete"] is False


class Recorder(JsonHandler):
    """Records every POST; answers with the statuses queued in `answers`, then 200."""

    received: ClassVar[list[dict[str, Any]]] = []
    answers: ClassVar[list[int]] = []

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        length = int(self.headers["Content-Length"])
        self.received.append(
            {"type": self.headers["Content-Type"], "body": json.loads(self.rfile.read(length))}
        )
        status = self.answers.pop(0) if self.answers else HTTPStatus.OK
        self.send_json(status, {"ok": status == HTTPStatus.OK})


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[Recorder]]]:
    handler = type("Receiver", (Recorder,), {"received": [], "answers": []})
    with serve_http(handler) as url:
        yield f"{url}/services/T000/B000/secret-token", handler


def test_delivers_the_payload(receiver: tuple[str, type[Recorder]], outcome: ScanOutcome) -> None:
    url, handler = receiver
    delivery = send(url, payload(outcome))
    assert (delivery.status, delivery.attempts) == (200, 1)
    (got,) = handler.received
    assert got["type"] == "application/json"
    assert got["body"]["bucketscan"]["findings"] == 4


def test_retries_a_server_error(receiver: tuple[str, type[Recorder]], outcome: ScanOutcome) -> None:
    url, handler = receiver
    handler.answers.append(HTTPStatus.INTERNAL_SERVER_ERROR)
    delivery = send(url, payload(outcome), backoff=0.01)
    assert (delivery.status, delivery.attempts) == (200, 2)
    assert len(handler.received) == 2


def test_gives_up_after_the_retries_and_hides_the_token(
    receiver: tuple[str, type[Recorder]], outcome: ScanOutcome
) -> None:
    url, handler = receiver
    handler.answers.extend([HTTPStatus.BAD_GATEWAY] * 5)
    with pytest.raises(NotifyError, match="answered 502") as caught:
        send(url, payload(outcome), backoff=0.01)
    assert len(handler.received) == 3  # one attempt and two retries
    assert "secret-token" not in str(caught.value)


def test_a_client_error_is_not_retried(
    receiver: tuple[str, type[Recorder]], outcome: ScanOutcome
) -> None:
    url, handler = receiver
    handler.answers.append(HTTPStatus.NOT_FOUND)
    with pytest.raises(NotifyError, match="answered 404"):
        send(url, payload(outcome), backoff=0.01)
    assert len(handler.received) == 1


class Silent(JsonHandler):
    """Reads the request and never answers (until the test releases it)."""

    release = threading.Event()

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        self.release.wait(10)


def test_a_receiver_that_never_answers_times_out(outcome: ScanOutcome) -> None:
    with serve_http(Silent) as url:
        started = time.monotonic()
        try:
            with pytest.raises(NotifyError, match=r"did not answer within 0\.3 s"):
                send(url, payload(outcome), timeout=0.3, backoff=0.01)
        finally:
            Silent.release.set()
    assert time.monotonic() - started < 3  # no retry after a timeout


def test_publish_turns_failures_into_warnings(
    receiver: tuple[str, type[Recorder]], outcome: ScanOutcome
) -> None:
    url, handler = receiver
    refused = f"http://127.0.0.1:{free_port()}/hook"
    warnings: list[str] = []
    publish(outcome, notify=(refused, url), metrics_file=None, warn=warnings.append)
    assert len(handler.received) == 1  # the second webhook is still told
    (warning,) = warnings
    assert warning.startswith("notification not sent: 127.0.0.1 could not be reached")
    assert "/hook" not in warning


def test_private_bucket_counts_are_zero_filled(outcome: ScanOutcome) -> None:
    data = payload(outcome)["bucketscan"]
    assert set(data["buckets_by_read"]) == {exposure.value for exposure in Exposure}
    assert data["buckets_by_read"]["unknown"] == 0


def test_scan_with_notify_metrics_and_verbose(
    moto_endpoint: str, receiver: tuple[str, type[Recorder]], tmp_path: Path
) -> None:
    from test_cli import seed_listing_and_private

    seed_listing_and_private(moto_endpoint)
    url, handler = receiver
    handler.answers.extend([HTTPStatus.INTERNAL_SERVER_ERROR] * 3)  # the first webhook gives up
    metrics_file = tmp_path / "bucketscan.prom"
    args = [
        "scan",
        "aws",
        "--endpoint-url",
        moto_endpoint,
        "--no-content",
        "-o",
        str(tmp_path / "r.json"),
    ]
    extra = ["--notify", url, "--notify", url, "--metrics-file", str(metrics_file), "-v", "-q"]
    result = CliRunner().invoke(main, [*args, *extra, "--fail-on", "exposure"])
    assert result.exit_code == 1, result.output  # the scan's status, whatever the webhooks did
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: notification not sent: 127.0.0.1 answered 500"]
    assert len(handler.received) == 4  # three tries of the first, one of the second
    assert handler.received[-1]["body"]["bucketscan"]["buckets_by_list"]["public"] == 1
    assert (
        "bucket listing: read " in result.output and "bucket private: read private" in result.output
    )
    assert 'bucketscan_buckets{verdict="private"} 1.0' in metrics_file.read_text()


def test_a_bad_notify_url_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", "aws", "--notify", "file:///etc/passwd", "-q"])
    assert result.exit_code == 2
    assert "--notify needs an http:// or https:// URL" in result.output
