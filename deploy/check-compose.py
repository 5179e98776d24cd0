#!/usr/bin/python3
"""Checks the resolved compose file (`docker-compose config` output on stdin) for what the
README promises: `docker compose up --scale api=N` starts, and nothing is baked in that
should come from .env.

Usage: POSTGRES_PASSWORD=x VIGIL_ADMIN_KEY=y docker-compose config | deploy/check-compose.py api worker
The arguments name the services that are scaled out; each must publish no fixed host port
(a second replica could not bind it).
"""
import re
import sys

import yaml  # python3-yaml, a dependency of Debian's docker-compose

# Above SHUTDOWN_TIMEOUT_MS (25 s by default, src/config/env.schema.ts) so Docker never kills a draining process.
MIN_GRACE_SECONDS = 30


def seconds(duration):
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", str(duration or ""))
    if not match or not any(match.groups()):
        return 0
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def fixed_host_port(entry):
    """True when a port entry binds a fixed host port ("3000:3000", "0.0.0.0:3000:80", long syntax)."""
    if isinstance(entry, dict):
        return entry.get("published") not in (None, "")
    parts = str(entry).split("/")[0].split(":")
    return len(parts) >= 2 and parts[-2] != ""


def postgres_health_problems(check):
    # During first-start initialisation Postgres runs a temporary server on the Unix socket only.
    if "-h 127.0.0.1" not in str(check.get("test")):
        yield "pg_isready must check over TCP (-h 127.0.0.1): the socket answers during initialisation"
    if not check.get("start_period"):
        yield "healthcheck needs a start_period (first start runs initdb)"


def problems(config, scaled):
    services = config.get("services", {})
    found = []
    for name in scaled:
        service = services.get(name)
        if service is None:
            found.append(f"{name}: no such service")
            continue
        for entry in service.get("ports", []):
            if fixed_host_port(entry):
                found.append(f"{name}: publishes fixed host port {entry!r}; --scale {name}=2 would clash")
    published = [name for name, s in services.items() if any(fixed_host_port(p) for p in s.get("ports", []))]
    if len(published) != 1:
        found.append(f"expected one entry point publishing a host port, found {published}")
    for name, service in services.items():
        if service.get("restart") != "unless-stopped":
            found.append(f"{name}: restart is {service.get('restart')!r}, expected 'unless-stopped'")
        if "build" in service and seconds(service.get("stop_grace_period")) < MIN_GRACE_SECONDS:
            found.append(f"{name}: stop_grace_period below {MIN_GRACE_SECONDS}s (SHUTDOWN_TIMEOUT_MS is 25 s)")
        if str(service.get("image", "")).startswith("postgres"):
            found.extend(f"{name}: {p}" for p in postgres_health_problems(service.get("healthcheck", {})))
        is_worker = "dist/src/worker.js" in (service.get("command") or [])
        if is_worker and "3000" in str(service.get("healthcheck", {}).get("test")):
            found.append(f"{name}: the worker serves nothing on 3000; give it its own healthcheck")
        if is_worker and "healthcheck" not in service:
            found.append(f"{name}: the worker would inherit the image's API healthcheck on 3000")
    return found


def main():
    config = yaml.safe_load(sys.stdin)
    if not isinstance(config, dict):
        sys.exit("compose: no resolved configuration on stdin (did docker-compose config fail?)")
    found = problems(config, sys.argv[1:])
    for line in found:
        print(f"compose: {line}", file=sys.stderr)
    if found:
        sys.exit(1)
    print(f"compose: ok (scaled without a host port clash: {', '.join(sys.argv[1:])})")


if __name__ == "__main__":
    main()
