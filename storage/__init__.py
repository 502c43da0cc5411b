"""The one place that talks to S3 (DESIGN.md §6).

- `client`: the boto3 client and the bucket; `objects`: prefixes, encrypted writes, listing,
  deletion (provisioning's offboarding);
- `keys`: `practices/<practice uuid>/<area>/<uuid4>`; `guard`: refuses keys of other practices;
- `presign`: presigned POST (upload) and GET (download); `practice_objects`: guarded HEAD, ranged
  GET, delete; `sniff` + `verify`: size and type by content after an upload; `scan`: clamd;
- `slots`: the steps every upload slot takes (name, announced size, open, verify, reject).
"""
