"""The embedded development stack: PostgreSQL, Redis and an S3 server from pip wheels.

`python -m config.embedded dev|test|run` starts what the environment does not already provide
(`DATABASE_URL`, `REDIS_URL`, `PORTICO_S3_ENDPOINT_URL`), reusing servers that are already
running on the same data folders, and stops at exit only what it started. Nothing here is used
in production.
"""
