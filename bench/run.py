"""Run every benchmark in bench/ and print their figures: `make bench`.

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

failed = []
for script in sorted(HERE.glob("*.py")):
    if script.name in SKIP:
        continue
    print(f"== {script.name}", flush=True)
    if subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0:
        failed.append(script.name)
if failed:
    sys.exit(f"benchmarks failed: {', '.join(failed)}")
