"""The one place that talks to S3 (DESIGN.md §6). Keys, presigning and verification come with the
documents issue; today it provides the client, the bucket and a reachability check."""
