"""Variants and the directly-follows graph of an event log, as pm4py computes them.

    python3 tests/evidence/pm4py_check.py LOG.csv  ->  one JSON line on stdout:
    {"variants": [[[activity, ...], cases], ...], "dfg": [[from, to, count], ...],
     "seconds": s (from the start of the script, imports included), "max_rss_kb": n}
"""
import contextlib
import io
import json
import resource
import sys
import time

start = time.perf_counter()
# pm4py prints a banner on import: keep stdout for the answer.
with contextlib.redirect_stdout(io.StringIO()):
    import pandas as pd
    import pm4py

path = sys.argv[1]
df = pd.read_csv(path, dtype=str, keep_default_na=False)
df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True, format="ISO8601")
df = pm4py.format_dataframe(df, case_id="case_id", activity_key="activity", timestamp_key="timestamp")
variants = pm4py.get_variants(df)
dfg, _starts, _ends = pm4py.discover_dfg(df)
elapsed = time.perf_counter() - start
out = {
    "variants": [[list(k), v if isinstance(v, int) else len(v)] for k, v in variants.items()],
    "dfg": [[a, b, int(n)] for (a, b), n in dfg.items()],
    "seconds": elapsed,
    "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}
print(json.dumps(out))
