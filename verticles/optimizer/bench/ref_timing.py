#!/usr/bin/env python3
"""Times the numpy reference (ref_gp_ei.py) under the protocol of OptimizerBenchmark's latency table.

Per n: n uniformly random observations of the rating proxy (width 0.25, noisy ratings); then, repeatedly,
one more observation followed by a timed ask() (the reference refits warm-started and searches the
acquisition on every ask). The first --warmup asks are not counted. Prints "timing <n> <p50 ms> <p95 ms>".
"""
import argparse
import importlib.util
import os
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--reference", required=True)
ap.add_argument("--ns", default="50,200,500")
ap.add_argument("--reps", type=int, default=20)
ap.add_argument("--warmup", type=int, default=3)
a = ap.parse_args()

# Same single BLAS thread as the reference's own default (read before numpy is imported).
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
sys.argv = [sys.argv[0]]
spec = importlib.util.spec_from_file_location("ref_gp_ei", a.reference)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
import numpy as np  # noqa: E402

space = ref.RATING_SPACE
ref.RATING_WIDTH = 0.25
for n in [int(v) for v in a.ns.split(",")]:
    rng = np.random.default_rng(n)
    noise = np.random.default_rng(50_000 + n)
    opt = ref.GPEIOptimizer(space, n_init=5, seed=n)
    for z in space.sample_encoded(n, rng):
        x = space.decode(z)
        opt.tell(x, -ref.rating_noisy(x, noise))
    times = []
    for r in range(a.warmup + a.reps):
        x = space.decode(space.sample_encoded(1, rng)[0])
        opt.tell(x, -ref.rating_noisy(x, noise))
        t = time.perf_counter()
        opt.ask()
        if r >= a.warmup:
            times.append((time.perf_counter() - t) * 1e3)
    print(f"timing {n} {np.percentile(times, 50):.3f} {np.percentile(times, 95):.3f}", flush=True)
