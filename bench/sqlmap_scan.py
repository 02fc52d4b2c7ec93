"""sqlmap (Debian package) against the public list and search URLs of the production stack
on 127.0.0.1, bounded in time: it must find no injectable parameter.

    .venv/bin/python bench/sqlmap_scan.py [--level 1] [--minutes 8]
        [--server postgres://postgres@127.0.0.1:5432]

Scanned: the home page, a forum's back numbers (?page=), a person's turns (?page=) and,
when the site has one, the search page (?q=). Prints the sqlmap command and its verdict
for each URL.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import production_server  # noqa: E402

SEARCH_CANDIDATES = ["/search/?q=%E5%BA%A7%E8%AB%87%E4%BC%9A"]


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status == 200
    except urllib.error.URLError:
        return False


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--level", type=int, default=1)
    options.add_argument("--minutes", type=float, default=8, help="time limit per URL")
    options.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = options.parse_args()
    name = "rt_bench_sqlmap"
    admin = psycopg2.connect(f"{args.server}/postgres")
    admin.autocommit = True
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    found = []
    try:
        with production_server(f"{args.server}/{name}") as (base, _env), tempfile.TemporaryDirectory() as out:
            with urllib.request.urlopen(base + "/sitemap.xml", timeout=30) as response:
                sitemap = response.read().decode()
            person = next(path for path in re.findall(r"<loc>[^<]*?(/people/\d+/)</loc>", sitemap))
            urls = [base + "/?page=1", base + "/forums/load-forum/?page=1", base + person + "?page=1"]
            urls += [base + path for path in SEARCH_CANDIDATES if answers(base + path)]
            for url in urls:
                command = [
                    "sqlmap",
                    "-u",
                    url,
                    "--batch",
                    f"--level={args.level}",
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
                print("$ " + " ".join(command).replace(base, "http://127.0.0.1:PORT"), flush=True)
                try:
                    result = subprocess.run(command, capture_output=True, text=True, timeout=args.minutes * 60)
                    output = result.stdout
                except subprocess.TimeoutExpired as timeout:
                    output = (
                        (timeout.stdout or b"").decode()
                        if isinstance(timeout.stdout, bytes)
                        else (timeout.stdout or "")
                    )
                    output += "\n[time limit reached]"
                verdict = [
                    line
                    for line in output.splitlines()
                    if re.search(r"all tested parameters|is vulnerable|injectable|time limit|CRITICAL", line)
                ]
                print("\n".join("    " + line for line in verdict[-4:]) or "    (no verdict line)", flush=True)
                if any(
                    re.search(r"parameter '.*' is vulnerable|sqlmap identified the following injection", line)
                    for line in output.splitlines()
                ):
                    found.append(url)
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    print(f"injectable URLs: {len(found)}")
    if found:
        sys.exit(f"sqlmap found injectable parameters: {found}")


if __name__ == "__main__":
    main()
