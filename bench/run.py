"""Run every benchmark in bench/ and print their figures: `make bench`.

    .venv/bin/python bench/run.py            # each at a size that takes minutes, not hours
    .venv/bin/python bench/run.py --large    # the search, corpus-page and serving benchmarks on 1,000,000 turns
    .venv/bin/python bench/run.py --all      # also the load, database-restart and sqlmap runs

The machine may be shared and noisy: compare figures as ratios within one run.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"run.py", "harness.py", "__init__.py", "server.py"}
# Runs of a whole production stack (minutes, root for a throw-away PostgreSQL cluster):
# only with `bench/run.py --all`.
SERVER_RUNS = {"load_test.py", "database_restart.py", "sqlmap_scan.py"}
if "--all" not in sys.argv:
    SKIP |= SERVER_RUNS
# The corpus-sized benchmarks take their own size by default (1,000,000 turns: an hour or
# more to generate here); `make bench` gives them a small one unless --large.
SMALL = {
    "search.py": ["--turns", "20000", "--repeat", "5"],
    "corpus_pages.py": ["--turns", "20000", "--repeat", "5"],
    "production_stack.py": ["--parts", "200", "--turns-per-part", "100"],
}
LARGE = "--large" in sys.argv

failed = []
for script in sorted(HERE.glob("*.py")):
    if script.name in SKIP:
        continue
    arguments = [] if LARGE else SMALL.get(script.name, [])
    print(f"== {script.name} {' '.join(arguments)}".rstrip(), flush=True)
    if subprocess.run([sys.executable, str(script), *arguments], cwd=HERE.parent).returncode != 0:
        failed.append(script.name)
if failed:
    sys.exit(f"benchmarks failed: {', '.join(failed)}")
