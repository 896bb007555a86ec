"""A real S3-protocol server (moto's standalone server) in its own process, for storage tests."""

import os
import subprocess
import sys
import time
from pathlib import Path

import boto3

from tests.helpers import free_port

ACCESS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class S3Server:
    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        server = Path(sys.executable).with_name("moto_server")
        self.process = subprocess.Popen(
            [str(server), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.client = boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1", **ACCESS
        )
        self._wait_until_up()

    def _wait_until_up(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.client.list_buckets()
                return
            except Exception:
                if self.process.poll() is not None:
                    raise RuntimeError("moto_server exited") from None
                time.sleep(0.2)
        raise RuntimeError("moto_server did not start")

    def storage_settings(self, bucket: str) -> dict:
        os.environ.setdefault("AWS_ACCESS_KEY_ID", ACCESS["aws_access_key_id"])
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", ACCESS["aws_secret_access_key"])
        return {
            "BACKEND": "streaming.storage.MediaS3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": self.endpoint,
                "region_name": "us-east-1",
                "access_key": ACCESS["aws_access_key_id"],
                "secret_key": ACCESS["aws_secret_access_key"],
                "querystring_auth": True,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        }

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class ExpiringS3Server:
    """s3rver (npm), an S3-protocol server that refuses signed URLs once they have expired,
    which moto's server does not check. Buckets are made at start; anyone may read them, so
    it proves expiry only (moto proves the bucket refuses strangers)."""

    ACCESS_KEY = "S3RVER"  # s3rver's fixed credentials

    def __init__(self, data_dir: Path, bucket: str):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.bucket = bucket
        binary = Path(__file__).resolve().parents[2] / "node_modules/.bin/s3rver"
        self.process = subprocess.Popen(
            [str(binary), "-d", str(data_dir), "-a", "127.0.0.1", "-p", str(self.port),
             "--silent", "--configure-bucket", bucket],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.ACCESS_KEY,
            aws_secret_access_key=self.ACCESS_KEY,
        )
        S3Server._wait_until_up(self)

    def storage_settings(self) -> dict:
        return {
            "BACKEND": "streaming.storage.MediaS3Storage",
            "OPTIONS": {
                "bucket_name": self.bucket,
                "endpoint_url": self.endpoint,
                "region_name": "us-east-1",
                "access_key": self.ACCESS_KEY,
                "secret_key": self.ACCESS_KEY,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        }

    def stop(self):
        S3Server.stop(self)
