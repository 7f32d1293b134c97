"""Driving a server with `wrk`, the C load generator, when it is installed (Debian: `apt-get
install wrk`): it costs a few microseconds a request where a Python client costs a few hundred, so
on a 2-core machine the figures measure the server, not the client sharing its cores.

`run(base_url, requests, clients, ...)` has `clients` keep-alive connections send GET for the
listed requests (a path with its query, and its own headers), split between wrk's threads in
turn. With `duration`, for that many seconds, starting the list again when it runs out. Without,
each request once: a thread that has had the answers to its share says so in a marker file, and
when every thread has, wrk is interrupted, so the elapsed time is that of the requests, not of a
fixed duration. wrk reports latency percentiles, not each request's latency.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Each line of the list: the target, then a tab and `Name: value` per header. Thread n (from 1)
# sends lines n, n + threads, ... wrk calls the first thread's request() once to check the script
# before any thread starts: that thread starts one step before the list and gives that call the
# first line without counting it, so every line is sent.
_SCRIPT = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  lines, step, once, markers = {}, tonumber(args[2]), args[3] == "once", args[4]
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
  at = id - 1
  if id == 1 then at = -step end
  sent, answered, failed, stopped = 0, 0, 0, false
end

local function build(line)
  local headers, path = {}, nil
  for part in string.gmatch(line, "[^\t]+") do
    if path == nil then
      path = part
    else
      local name, value = string.match(part, "^([^:]+): (.*)$")
      headers[name] = value
    end
  end
  return wrk.format("GET", path, headers)
end

function request()
  if at < 0 then  -- wrk's check of the script: never sent
    at = at + step
    return build(lines[1])
  end
  if once and at >= #lines then
    return build(lines[#lines])  -- asked only while the last answers are out; not counted
  end
  local line = lines[(at % #lines) + 1]
  at = at + step
  sent = sent + 1
  return build(line)
end

function response(status, headers, body)
  if answered < sent then
    answered = answered + 1
    if status >= 400 then failed = failed + 1 end
  end
  if once and not stopped and at >= #lines and answered >= sent then
    stopped = true
    local marker = io.open(markers .. "/" .. id, "w")
    marker:write("done")
    marker:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local answered, failed = 0, 0
  for _, thread in ipairs(threads) do
    answered = answered + thread:get("answered")
    failed = failed + thread:get("failed")
  end
  local e = summary.errors
  io.write(string.format(
    'KG-WRK {"answered": %d, "failed": %d, "socket_errors": %d, "micros": %d, "p50": %d, "p95": %d, "p99": %d}\n',
    answered, failed, e.connect + e.read + e.write + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class WrkRun:
    answered: int  # answers to listed requests
    errors: int  # answers with a status of 400 or more, and connections that failed
    seconds: float  # from the start to the last answer (each once) or wrk's own duration
    percentiles: dict[float, float]  # 50, 95, 99 -> seconds

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


def executable() -> str | None:
    return shutil.which("wrk")


def run(
    base_url: str,
    requests: list[tuple[str, dict[str, str]]],
    clients: int,
    *,
    duration: float | None = None,
    threads: int = 2,
    wrk: str | None = None,
) -> WrkRun:
    """GET `requests` (target, headers) over `clients` connections: each once, or again and
    again for `duration` seconds."""
    program = wrk or executable()
    if program is None:
        raise RuntimeError("wrk is not installed")
    if not requests:
        raise ValueError("no requests to send")
    threads = max(1, min(threads, clients))
    once = duration is None
    with tempfile.TemporaryDirectory(prefix="kg-wrk-") as work:
        folder = Path(work)
        lines = ["\t".join([target, *(f"{k}: {v}" for k, v in headers.items())]) for target, headers in requests]
        (folder / "requests.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "script.lua").write_text(_SCRIPT, encoding="utf-8")
        markers = folder / "markers"
        markers.mkdir()
        seconds_asked = 24 * 3600 if once else max(1, round(duration or 1))
        command = [program, "-t", str(threads), "-c", str(clients), "-d", f"{seconds_asked}s", "--timeout", "60s"]
        command += ["-s", str(folder / "script.lua"), base_url.rstrip("/") + "/"]
        command += ["--", str(folder / "requests.txt"), str(threads), "once" if once else "cycle", str(markers)]
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        elapsed = None
        while once and process.poll() is None:  # a thread without a share is done at its first answer
            if len(list(markers.iterdir())) >= threads:
                elapsed = time.monotonic() - started
                process.send_signal(signal.SIGINT)
                break
            time.sleep(0.005)
        stdout, stderr = process.communicate(timeout=seconds_asked + 120)
    line = next((text for text in stdout.decode().splitlines() if text.startswith("KG-WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures: {stdout.decode()[-300:]} {stderr.decode()[-300:]}")
    found = json.loads(line[len("KG-WRK ") :])
    return WrkRun(
        answered=found["answered"],
        errors=found["failed"] + found["socket_errors"],
        seconds=elapsed if elapsed is not None else found["micros"] / 1e6,
        percentiles={p: found[f"p{p}"] / 1e6 for p in (50, 95, 99)},
    )
