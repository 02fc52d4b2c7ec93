"""sqlmap (Debian package) against the public list, search and open data URLs of the production
stack on 127.0.0.1 (bench/server.py), bounded in time: it must find no injectable parameter.

    .venv/bin/python bench/sqlmap_scan.py [--level 1] [--minutes 8] [--only search,api-speeches]
        [--server postgres://postgres@127.0.0.1:5432]

Scanned, every parameter of each (sqlmap tests one parameter at a time, the others kept):
- the search page with every filter: /search/?q=…&speaker=…&role=…&forum=…&from=…&until=…&page=…
- a person's turns /people/<id>/?page=, a forum's back numbers /forums/<slug>/?page=, the home page;
- the open data API: /api/v1/speeches with every filter and the paging, /api/v1/roundtables,
  /api/v1/people (its rate limit is off for the scan: this looks for injections, not throttling).
Prints the sqlmap command, the parameters it tested, its verdict and the error statuses it got for
each URL, then the count of injectable URLs and of URLs that answered a 5xx (both must be 0).
"""

import argparse
import re
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import load_average, public_paths, site_stack  # noqa: E402

FORUM = "tokyo-cio-forum"  # the demo's


def targets(base):
    paths = public_paths(base)
    person = next(path for path in paths if re.fullmatch(r"/people/\d+/", path))
    person_id = person.strip("/").split("/")[1]
    query = urllib.parse.urlencode
    return {
        "search": "/search/?"
        + query(
            {
                "q": "人材",
                "speaker": person_id,
                "role": "CIO",
                "forum": FORUM,
                "from": "2021-04-01",
                "until": "2022-03-31",
                "page": "1",
            }
        ),
        "person": f"{person}?page=1",
        "forum": "/forums/load-forum/?page=1",
        "home": "/?page=1",
        "api-speeches": "/api/v1/speeches?"
        + query(
            {
                "any": "人材",
                "speaker": "高橋",
                "speakerPosition": "部長",
                "speakerRole": "CIO",
                "forum": FORUM,
                "roundtable": "4",
                "from": "2021-01-01",
                "until": "2022-12-31",
                "maximumRecords": "10",
                "startRecord": "1",
                "format": "json",
            }
        ),
        "api-roundtables": "/api/v1/roundtables?"
        + query({"forum": FORUM, "roundtable": "4", "from": "2021-01-01", "until": "2022-12-31", "startRecord": "1"}),
        "api-people": "/api/v1/people?" + query({"name": "高橋", "forum": FORUM, "maximumRecords": "10"}),
    }


def scan(url, level, minutes, out):
    command = [
        "sqlmap",
        "-u",
        url,
        "--batch",
        f"--level={level}",
        "--risk=1",
        "--threads=2",
        "--timeout=30",
        "--retries=1",
        "--time-sec=3",
        "--dbms=PostgreSQL",
        f"--output-dir={out}",
        "--flush-session",
        "--disable-coloring",
    ]
    shown = " ".join(command).replace(url, f"'{urllib.parse.unquote(url)}'")
    print("$ " + re.sub(r"http://127\.0\.0\.1:\d+", "http://127.0.0.1:PORT", shown).replace(out, "OUT"), flush=True)
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=minutes * 60).stdout
    except subprocess.TimeoutExpired as timeout:
        output = timeout.stdout.decode() if isinstance(timeout.stdout, bytes) else (timeout.stdout or "")
        output += "\n[time limit reached]"
    lines = output.splitlines()
    tested = sorted(set(re.findall(r"testing if GET parameter '([^']+)' is dynamic", output)))
    verdict = [line for line in lines if re.search(r"all tested parameters|is vulnerable|time limit|CRITICAL", line)]
    # sqlmap sums up the error statuses it got, e.g. "400 (Bad Request) - 1234 times": a 500
    # would be a fault the hostile input reached (every bad value must be a 4xx).
    codes = re.findall(r"^(\d{3}) \(([^)]*)\) - (\d+) times", output, re.M)
    print(f"    parameters tested: {', '.join(tested) or '-'}")
    print("\n".join("    " + line for line in verdict[-3:]) or "    (no verdict line)")
    print("    error answers: " + (", ".join(f"{code} {reason} ×{count}" for code, reason, count in codes) or "none"))
    injectable = any(
        re.search(r"parameter '.*' is vulnerable|sqlmap identified the following injection", line) for line in lines
    )
    return injectable, [code for code, _reason, _count in codes if code.startswith("5")]


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--level", type=int, default=1)
    options.add_argument("--minutes", type=float, default=8, help="time limit per URL")
    options.add_argument("--only", help="comma-separated names: search, person, forum, home, api-speeches …")
    options.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = options.parse_args()
    version = subprocess.run(["sqlmap", "--version"], capture_output=True, text=True).stdout.split()[0]
    print(f"sqlmap {version}; {load_average()}", flush=True)
    found, faults = [], []
    with site_stack(args.server, "rt_bench_sqlmap", API_RATE_LIMIT="off") as (base, _env):
        with tempfile.TemporaryDirectory() as out:
            chosen = targets(base)
            if args.only:
                chosen = {name: path for name, path in chosen.items() if name in args.only.split(",")}
            for name, path in chosen.items():
                print(f"== {name}", flush=True)
                injectable, server_errors = scan(base + path, args.level, args.minutes, out)
                if injectable:
                    found.append(path)
                if server_errors:
                    faults.append(path)
    print(
        f"level {args.level}: injectable URLs: {len(found)} of {len(chosen)}; URLs answering 5xx: {len(faults)}; "
        + load_average()
    )
    if found or faults:
        sys.exit(f"sqlmap found injectable parameters: {found} / server errors: {faults}")


if __name__ == "__main__":
    main()
