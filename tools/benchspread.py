"""tools/benchspread.py: what make bench found about how far each figure
moved between boots (tools/bench.py writes OUT/spread.csv beside the
figures). The table tools ask it before they print a verdict: a target is
judged only on figures that repeat."""
import os


def unstable(csv_path, bench):
    """The figures of bench (e.g. "regionbench") whose spread was over their
    limit, as 'name: spread' strings; [] if all repeated (or no spreads)."""
    path = os.path.join(os.path.dirname(os.path.abspath(csv_path)), "spread.csv")
    if not os.path.exists(path):
        return []
    out = []
    with open(path) as f:
        for line in f:
            *fig, spread, limit, _n = line.strip().split(",")
            if fig and fig[0] == bench and float(spread) > float(limit):
                out.append(f"{','.join(fig)}: {float(spread) * 100:.2f}%")
    return out
