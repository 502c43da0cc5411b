"""Liveness (`/healthz`) and readiness (`/readyz`) on every host, answered before host routing so
that load balancers and Kubernetes probes (which send the pod's address as Host) reach them."""
