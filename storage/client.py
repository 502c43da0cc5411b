"""boto3 S3 client for AWS S3 or any S3-compatible server (by endpoint URL)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from types_boto3_s3 import S3Client


def s3_client_create(
    *, endpoint_url: str | None, region: str = "us-east-1", timeout_seconds: float = 5.0
) -> S3Client:
    """A client with SigV4 and path-style addressing (what S3-compatible servers expect)."""
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path"},
        connect_timeout=timeout_seconds,
        read_timeout=timeout_seconds,
        retries={"max_attempts": 2, "mode": "standard"},
    )
    return boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)


def s3_client(*, timeout_seconds: float = 5.0) -> S3Client:
    """The client configured by settings (PORTICO_S3_ENDPOINT_URL, AWS_* credentials)."""
    from django.conf import settings

    return s3_client_create(
        endpoint_url=settings.PORTICO_S3_ENDPOINT_URL,
        region=settings.AWS_REGION,
        timeout_seconds=timeout_seconds,
    )


def bucket_ensure(client: S3Client, bucket: str) -> None:
    """Create `bucket` if missing, private, with server-side encryption by default."""
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError:
        client.create_bucket(Bucket=bucket)
    client.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    client.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
