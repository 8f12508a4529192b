"""moto's S3 server in-process on a free loopback port."""

from __future__ import annotations

import logging
import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

DEMO_ACCOUNT_ENV = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_SESSION_TOKEN": "demo",
    "AWS_DEFAULT_REGION": "ap-northeast-1",
}


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto S3 server on a free loopback port, with demo credentials; yields its URL."""
    from moto.server import ThreadedMotoServer

    saved = {name: os.environ.get(name) for name in DEMO_ACCOUNT_ENV}
    os.environ.update(DEMO_ACCOUNT_ENV)
    # werkzeug logs every request at INFO on its own handler unless its logger has a level.
    access_log = logging.getLogger("werkzeug")
    level = access_log.level
    access_log.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        # moto keeps its state per process, not per server: start every server empty.
        urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"))
        yield url
    finally:
        server.stop()
        access_log.setLevel(level)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
