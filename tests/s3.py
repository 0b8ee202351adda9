"""A real S3-compatible server for tests, drills and CI: moto's standalone server on loopback.

`TEST_S3=1` runs the suite's documents in S3 (each test under its own key prefix of one
bucket) instead of a temporary folder; the server is the one at `TEST_S3_ENDPOINT_URL`
(CI starts one) or, without it, a moto server this module starts on a free loopback port.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import boto3

from tests.live import free_port, wait_until

TEST_S3 = os.environ.get("TEST_S3", "") == "1"
S3_BACKEND = "storages.backends.s3.S3Storage"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}
MOTO_SERVER = str(Path(sys.executable).with_name("moto_server"))


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


class MotoServer:
    """`moto_server` on 127.0.0.1 in its own process; `stop()` ends it."""

    def __init__(self, log_path: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log_path or os.devnull, "ab")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(  # noqa: S603 - fixed argument list
            [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: _answers(self.url), timeout=60, what="moto_server to answer")

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(5)
        self._log.close()


def client(endpoint_url: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
        region_name=CREDENTIALS["region_name"],
    )


def create_bucket(endpoint_url: str, name: str) -> None:
    client(endpoint_url).create_bucket(Bucket=name)


def storage_config(endpoint_url: str, bucket: str, location: str = "") -> dict:
    """A STORAGES["default"] entry for a bucket of the test server."""
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "location": location,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_expire": 60,
            **CREDENTIALS,
        },
    }


def is_s3(storage) -> bool:
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def object_grants(storage, name: str) -> list[dict]:
    """The ACL grants of one stored object of an S3 storage."""
    obj = storage.bucket.Object(storage._normalize_name(name))
    return obj.Acl().grants
