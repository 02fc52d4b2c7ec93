"""Bounded load test of the production stack: 64 connections for 60 s with wrk, on 127.0.0.1.

Pages: every page of the sitemap (home, forums, 26 roundtables, 26 parts of 60 turns and
the demo part, people) and the feeds, in turn. Prints wrk's throughput and latency percentiles and the
count of errors and non-2xx answers (the goal: zero). Needs wrk and a PostgreSQL server:

    .venv/bin/python bench/load_test.py [--connections 64] [--seconds 60]
        [--server postgres://postgres@127.0.0.1:5432]
"""

import argparse
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import production_server  # noqa: E402

FEEDS = ["/feeds/rss/", "/feeds/atom/", "/feeds/load-forum/rss/", "/forums/load-forum/?page=2"]
SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("STATUS non2xx=%%d errors=%%d\\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("P99_MS %%.1f\\n", latency:percentile(99) / 1000))
end
"""


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--connections", type=int, default=64)
    options.add_argument("--seconds", type=int, default=60)
    options.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = options.parse_args()
    name = "rt_bench_load"
    admin = psycopg2.connect(f"{args.server}/postgres")
    admin.autocommit = True
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        with production_server(f"{args.server}/{name}", CONN_MAX_AGE="60") as (base, _env):
            with urllib.request.urlopen(base + "/sitemap.xml", timeout=30) as response:
                sitemap = response.read().decode()
            paths = [urllib.parse.urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
            paths += FEEDS
            print(f"{len(paths)} URLs")
            for path in paths:  # every page answers before the run
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    assert response.status == 200, path
            with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
                script.write(SCRIPT % ", ".join(f'"{path}"' for path in paths))
                script.flush()
                result = subprocess.run(
                    [
                        "wrk",
                        "-t2",
                        f"-c{args.connections}",
                        f"-d{args.seconds}s",
                        "--timeout",
                        "10s",
                        "--latency",
                        "-s",
                        script.name,
                        base,
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
        print(result.stdout)
        errors = re.search(r"STATUS non2xx=(\d+) errors=(\d+)", result.stdout)
        throughput = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1)
        p99 = re.search(r"P99_MS ([\d.]+)", result.stdout).group(1)
        print(
            f"connections={args.connections} seconds={args.seconds} requests/s={throughput} p99={p99} ms "
            f"non-2xx={errors.group(1)} socket-errors={errors.group(2)}"
        )
        if errors.group(1) != "0" or errors.group(2) != "0":
            sys.exit("errors or non-2xx answers under load")
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
