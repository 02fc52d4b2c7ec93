"""Bounded load test of the production stack: 64 connections for 60 s with wrk, on 127.0.0.1.

The stack is the one `make serve` runs (bench/server.py): gunicorn with forum/gunicorn.conf.py
(sync workers, two per core), DEBUG off, Redis as the shared cache when it answers, on a
throw-away PostgreSQL database. Pages: every page of the sitemap (home, forums, 26
roundtables, 26 parts of 60 turns and the demo part, people) and the feeds, in turn, each
request on a connection of its own as gunicorn's sync workers close it after the answer.

Prints wrk's throughput and latency percentiles, the answers that were not 2xx/3xx, wrk's
socket errors (connect, read, write, timeout), the server's own errors (gunicorn's log:
worker timeouts, exceptions), and the load of the machine before and after. The goal: zero
of each. Needs wrk (apt-get install -y wrk) and a PostgreSQL server:

    .venv/bin/python bench/load_test.py [--connections 64] [--seconds 60] [--timeout 30]
        [--workers N] [--server postgres://postgres@127.0.0.1:5432]

What wrk calls a timeout is an answer that arrived later than --timeout after its request
was written (wrk 4.1 counts it when it completes). A request on a new connection waits in
the listen queue (backlog 2048) until one of the workers is free: with 64 connections and 4
sync workers about 16 requests stand before each, so its latency is about 16 times the
time to answer one, on a machine whose two cores the load generator, the database, Redis and
whatever else runs share. A realistic client waits longer than 10 s (a browser minutes);
--timeout 30 is gunicorn's own worker timeout, past which the server gives up on a request.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import load_average, public_paths, site_stack  # noqa: E402

EXTRA = ["/feeds/rss/", "/feeds/atom/", "/feeds/load-forum/rss/", "/forums/load-forum/?page=2"]
SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("STATUS non2xx=%%d connect=%%d read=%%d write=%%d timeout=%%d\\n", summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("LATENCY_MS p50=%%.1f p99=%%.1f max=%%.1f\\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""
SERVER_ERRORS = re.compile(r"WORKER TIMEOUT|Traceback|\[ERROR\]|\[CRITICAL\]")


def run_wrk(base, paths, connections, seconds, timeout):
    import urllib.request

    for path in paths:  # every page answers before the run (and is in the cache)
        with urllib.request.urlopen(base + path, timeout=60) as response:
            assert response.status == 200, path
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(SCRIPT % ", ".join(f'"{path}"' for path in paths))
        script.flush()
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{timeout}s", "--latency"]
        print("$ " + " ".join(command + ["-s", "pages.lua", "http://127.0.0.1:PORT"]), flush=True)
        result = subprocess.run(
            command + ["-s", script.name, base], capture_output=True, text=True, check=True, timeout=seconds + 120
        )
    return result.stdout


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--connections", type=int, default=64)
    options.add_argument("--seconds", type=int, default=60)
    options.add_argument("--timeout", type=int, default=30, help="wrk's: an answer later than this is an error")
    options.add_argument("--workers", type=int, help="gunicorn workers (default: forum/gunicorn.conf.py's)")
    options.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = options.parse_args()
    with site_stack(args.server, "rt_bench_load", workers=args.workers) as (base, env):
        paths = public_paths(base) + EXTRA
        print(f"{len(paths)} URLs; cache: {'Redis' if env.get('REDIS_URL') else 'each worker’s memory'}")
        before = load_average()
        output = run_wrk(base, paths, args.connections, args.seconds, args.timeout)
        after = load_average()
        server_errors = [
            line for line in Path(env["GUNICORN_LOG"]).read_text().splitlines() if SERVER_ERRORS.search(line)
        ]
        workers = env.get("WEB_CONCURRENCY") or args.workers or "2 per core"
    print(output)
    status = dict(re.findall(r"(\w+)=(\d+)", re.search(r"STATUS (.*)", output).group(1)))
    latency = dict(re.findall(r"(\w+)=([\d.]+)", re.search(r"LATENCY_MS (.*)", output).group(1)))
    throughput = re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    socket_errors = sum(int(status[k]) for k in ("connect", "read", "write", "timeout"))
    print(f"before: {before}; after: {after}")
    print(
        f"gunicorn sync workers={workers} connections={args.connections} seconds={args.seconds} "
        f"timeout={args.timeout}s requests/s={throughput} p50={latency['p50']} ms p99={latency['p99']} ms "
        f"max={latency['max']} ms non-2xx={status['non2xx']} socket-errors={socket_errors} "
        f"(connect {status['connect']}, read {status['read']}, write {status['write']}, timeout {status['timeout']}) "
        f"server-errors={len(server_errors)}"
    )
    for line in server_errors[:10]:
        print("  server: " + line)
    if status["non2xx"] != "0" or socket_errors or server_errors:
        sys.exit("errors or non-2xx answers under load")


if __name__ == "__main__":
    main()
