"""Driving a server with `wrk`, the C load generator, when it is installed (Debian: `apt-get
install wrk`): it costs a few microseconds a request where a Python client costs a few hundred, so
on a 2-core machine the figures measure the server, not the client sharing its cores.

`run(targets, ...)` has `clients` keep-alive connections send GET for each target (path and
query) once, split between wrk's threads; a thread that has sent its share stops and says so in a
marker file, and when every thread has, wrk is interrupted, so the elapsed time is that of the
requests, not of a fixed duration. wrk reports latency percentiles, not each request's latency.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_SCRIPT = r"""
local targets = {}
for line in io.lines(os.getenv("KG_WRK_TARGETS")) do targets[#targets + 1] = line end
local markers = os.getenv("KG_WRK_MARKERS")
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  thread:set("count", tonumber(os.getenv("KG_WRK_THREADS")))
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  position = id
  sent = 0
  answered = 0
  errors = 0
  stopped = false
end

function request()
  if position >= #targets then
    return wrk.format("GET", targets[#targets])  -- never answered: the thread stops first
  end
  local target = targets[position + 1]
  position = position + count
  sent = sent + 1
  return wrk.format("GET", target)
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then errors = errors + 1 end
  if answered >= sent and position >= #targets and not stopped then
    stopped = true
    local marker = io.open(markers .. "/" .. id, "w")
    marker:write("done")
    marker:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local errors = 0
  local answered = 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("errors")
    answered = answered + thread:get("answered")
  end
  local out = string.format(
    '{"answered": %d, "errors": %d, "socket_errors": %d, "p50": %d, "p95": %d, "p99": %d, "mean": %f}',
    answered, errors,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean)
  io.write("KG_WRK " .. out .. "\n")
end
"""


@dataclass(frozen=True)
class WrkRun:
    answered: int
    errors: int  # answers other than 200, and connections that failed
    seconds: float  # from the start to the last thread done
    percentiles: dict[float, float]  # 50, 95, 99 -> seconds


def available() -> bool:
    return shutil.which("wrk") is not None


def run(base_url: str, targets: list[str], headers: dict[str, str], clients: int, limit: float = 3600) -> WrkRun:
    """GET each of `targets` (paths with their query, under `base_url`) once over `clients`
    connections, with `headers` on every request."""
    threads = max(1, min(2, clients))
    with tempfile.TemporaryDirectory(prefix="kg-wrk-") as work:
        folder = Path(work)
        (folder / "targets.txt").write_text("\n".join(targets) + "\n", encoding="utf-8")
        (folder / "markers").mkdir()
        (folder / "script.lua").write_text(_SCRIPT, encoding="utf-8")
        environment = dict(
            os.environ,
            KG_WRK_TARGETS=str(folder / "targets.txt"),
            KG_WRK_MARKERS=str(folder / "markers"),
            KG_WRK_THREADS=str(threads),
        )
        command = ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{int(limit)}s", "--timeout", "60s"]
        command += ["-s", str(folder / "script.lua"), "--latency"]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        command.append(base_url.rstrip("/"))
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
        # Threads with no share (fewer targets than threads) are done from the start.
        idle = max(0, threads - len(targets))
        while process.poll() is None:
            if len(list((folder / "markers").iterdir())) + idle >= threads:
                seconds = time.monotonic() - started
                process.send_signal(signal.SIGINT)
                break
            time.sleep(0.01)
        else:
            seconds = time.monotonic() - started
        stdout, stderr = process.communicate(timeout=120)
    line = next((text for text in stdout.decode().splitlines() if text.startswith("KG_WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary: {stderr.decode()[-500:]}")
    found = json.loads(line[len("KG_WRK ") :])
    return WrkRun(
        answered=found["answered"],
        errors=found["errors"] + found["socket_errors"],
        seconds=seconds,
        percentiles={p: found[f"p{p}"] / 1e6 for p in (50, 95, 99)},
    )
