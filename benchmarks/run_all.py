"""Every benchmark, one command: `make bench`."""

import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent
for name in ("recommend.py", "batch.py", "app_rerun.py", "app_start.py", "peer_duckdb.py"):
    if (HERE / name).exists():
        print(f"== {name}")
        runpy.run_path(str(HERE / name), run_name="__main__")
