"""A PostgreSQL restart under load: the site answers 503 with Retry-After while the database
is down, never 500, and serves again by itself once it is back (issue 15, point 6).

Creates a THROW-AWAY cluster of its own (pg_createcluster 15 rtfault --port 5498, needs
root), runs the production stack on it with CONN_MAX_AGE=60, keeps 6 clients requesting
pages, stops the cluster for a few seconds and starts it again, then prints what the
clients got, second by second, and drops the cluster. The shared server on 5432 is never
touched.

    .venv/bin/python bench/database_restart.py [--seconds 24] [--outage 4] [--no-health-checks] [--redis]

Without Redis by default, so that every request needs the database; with --redis the
workers share Redis as their cache, and cached pages keep answering 200 during the outage.
"""

import argparse
import collections
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import production_server  # noqa: E402

VERSION, CLUSTER, PORT = "15", "rtfault", 5498
PATHS = ["/", "/articles/tokyo-cio-forum-4-part2/", "/feeds/rss/", "/forums/tokyo-cio-forum/"]


def cluster(*action):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, *action], check=True, capture_output=True
    )


def client(base, stop, results, index):
    number = index
    while not stop.is_set():
        path = PATHS[number % len(PATHS)]
        number += 1
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=60) as response:
                response.read()
                status, retry = response.status, None
        except urllib.error.HTTPError as error:
            status, retry = error.code, error.headers.get("Retry-After")
        except OSError as error:
            status, retry = f"socket error {type(error).__name__}", None
        results.append((time.monotonic(), status, retry))


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--seconds", type=float, default=24)
    options.add_argument("--outage", type=float, default=4)
    options.add_argument("--no-health-checks", action="store_true")
    options.add_argument("--redis", action="store_true", help="share Redis as the cache (pages answer from it)")
    args = options.parse_args()
    subprocess.run(["pg_dropcluster", "--stop", VERSION, CLUSTER], capture_output=True)  # a leftover
    subprocess.run(
        ["pg_createcluster", VERSION, CLUSTER, "--port", str(PORT), "--", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    try:
        cluster("start")
        admin = psycopg2.connect(host="127.0.0.1", port=PORT, user="postgres", dbname="postgres")
        admin.autocommit = True
        admin.cursor().execute("CREATE DATABASE rtfault")
        admin.close()
        health = "false" if args.no_health_checks else "true"
        url = f"postgres://postgres@127.0.0.1:{PORT}/rtfault"
        with production_server(
            url,
            workers=2,
            redis=args.redis,
            CONN_MAX_AGE="60",
            CONN_HEALTH_CHECKS=health,
            DATABASE_OUTAGE_RETRY_AFTER="5",
        ) as (base, _env):
            results, stop = [], threading.Event()
            threads = [threading.Thread(target=client, args=(base, stop, results, i)) for i in range(6)]
            start = time.monotonic()
            for thread in threads:
                thread.start()
            time.sleep(args.seconds / 3)
            cluster("stop", "-m", "fast")
            down = time.monotonic()  # the server has stopped
            time.sleep(args.outage)
            cluster("start")
            up = time.monotonic()  # accepting connections again
            time.sleep(args.seconds - (up - start))
            stop.set()
            for thread in threads:
                thread.join()
    finally:
        subprocess.run(["pg_dropcluster", "--stop", VERSION, CLUSTER], capture_output=True)
    by_second = collections.defaultdict(collections.Counter)
    for finished, status, _retry in results:
        by_second[int(finished - start)][status] += 1
    print(
        f"CONN_MAX_AGE=60 CONN_HEALTH_CHECKS={health}; database stopped at {down - start:.1f} s, "
        f"back at {up - start:.1f} s; answers by the second they arrived"
    )
    for second in sorted(by_second):
        marks = " (database down)" if down - start <= second and second + 1 <= up - start else ""
        print(f"  {second:3d} s: {dict(sorted(by_second[second].items(), key=str))}{marks}")
    totals = collections.Counter(status for _s, status, _r in results)
    # Answers to requests made after the restart (a request takes under a second here).
    after = [status for finished, status, _r in sorted(results) if finished > up + 2]
    retry_headers = {retry for _s, status, retry in results if status == 503}
    print(f"total {sum(totals.values())} requests: {dict(totals)}; Retry-After on 503: {retry_headers or '-'}")
    print(
        f"answers more than 2 s after the restart: {len(after)}, of which not 200: "
        f"{sum(1 for status in after if status != 200)}"
    )
    bad = [status for status in totals if status not in (200, 503)]
    if bad or any(status != 200 for status in after):
        sys.exit(f"unexpected answers: {bad} / after the restart: {collections.Counter(after)}")


if __name__ == "__main__":
    main()
