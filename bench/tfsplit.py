#!/usr/bin/env python3
"""Splits one Terraform command's log (TF_LOG_CORE=trace, TF_LOG_PROVIDER=debug) into where
the time went, for bench/lifecycle.sh:

- process starts: from "provider: starting plugin" to Terraform's first call into that
  process ("GRPCProvider: …"): exec, handshake, mTLS connection, health check;
- process exits: from "GRPCProvider: Close" to "provider: plugin exited";
- provider RPCs: the time at least one RPC was running in the provider, from the
  provider's own "RPC started" / "RPC finished" lines (this provider logs them at debug;
  a provider that logs nothing per RPC gets "n/a" and its RPCs count as Terraform core).
  Concurrent RPCs are counted once, so this is what Terraform could have waited on;
- Terraform core: the rest of the log's span.

Timestamps have millisecond resolution; sums of many short intervals are unbiased (start and
end are truncated alike). Prints one line of JSON."""

import json
import re
import sys
from datetime import datetime

LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)Z \[(\w+)\]\s+(.*)$")
CALL = re.compile(r"^GRPCProvider(?:\.v6)?: (\w+)")
RPC = re.compile(r": RPC (started|finished)(?::| ).*\brpc=\"?(\w+)")


def events(path):
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if m:
                t = datetime.fromisoformat(m.group(1)).timestamp() * 1000.0
                yield t, m.group(3)


def union(intervals):
    total, end = 0.0, None
    for s, e in sorted(intervals):
        if end is None or s > end:
            total += e - s
            end = e
        elif e > end:
            total += e - end
            end = e
    return total


def main(path):
    first = last = None
    starts, exits, rpc_spans = [], [], []
    start_at = close_at = None
    running = 0
    busy_since = None
    per_rpc = {}
    rpc_logged = False
    for t, msg in events(path):
        first = t if first is None else first
        last = t
        if "provider: starting plugin:" in msg:
            start_at = t
        elif CALL.match(msg):
            if start_at is not None:
                starts.append((start_at, t))
                start_at = None
            if CALL.match(msg).group(1) == "Close":
                close_at = t
        elif "provider: plugin exited" in msg and close_at is not None:
            exits.append((close_at, t))
            close_at = None
        m = RPC.search(msg)
        if m:
            rpc_logged = True
            kind, name = m.group(1), m.group(2)
            c = per_rpc.setdefault(name, {"calls": 0, "ms": 0.0})
            if kind == "started":
                c["calls"] += 1
                c["ms"] -= t
                if running == 0:
                    busy_since = t
                running += 1
            elif running > 0:
                c["ms"] += t
                running -= 1
                if running == 0:
                    rpc_spans.append((busy_since, t))
    span = (last - first) if first is not None else 0.0
    start_ms = union(starts)
    exit_ms = union(exits)
    rpc_ms = union(rpc_spans) if rpc_logged else None
    core = span - start_ms - exit_ms - (rpc_ms or 0.0)
    print(
        json.dumps(
            {
                "span_ms": round(span, 1),
                "processes": len(starts),
                "start_ms": round(start_ms, 1),
                "exit_ms": round(exit_ms, 1),
                "rpc_ms": None if rpc_ms is None else round(rpc_ms, 1),
                "core_ms": round(core, 1),
                "rpcs": {k: {"calls": v["calls"], "ms": round(v["ms"], 1)} for k, v in sorted(per_rpc.items())},
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
