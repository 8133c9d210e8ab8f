#!/usr/bin/python3
"""The bench driver's arithmetic, without running a workload: parsing both output formats, the
median of the pairs' ratios, the floor, the check column, and the comparison with history."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
import run_bench  # noqa: E402

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


# Both output formats: aelab's JSON lines, and the shared peer's `epoch N: S s` lines (last wins).
ours = run_bench.parse('{"workload": "mlp", "epoch": 1, "seconds": 9.0}\n'
                       '{"workload": "mlp", "epoch": 2, "seconds": 6.0}\n'
                       '{"workload": "mlp", "test_sse": 12.5}\n')
peer = run_bench.parse("epoch 1: 11.00 s, test sse 15.0, threads 1\n"
                       "epoch 2: 10.00 s, test sse 12.0, threads 1\n")
check(ours == {"mlp": {"epoch": 2, "seconds": 6.0, "test_sse": 12.5}}, f"aelab lines parsed as {ours}")
check(peer == {"mlp": {"seconds": 10.0, "test_sse": 12.0}}, f"the peer's lines parsed as {peer}")

# Three pairs: the ratio is the median of the pairs' ratios, not the ratio of the medians.
pairs_ours = [{"w": {"seconds": s, "q": 1.0}} for s in (1.0, 4.0, 3.0)]
pairs_peer = [{"w": {"seconds": s, "q": 1.5}} for s in (2.0, 2.0, 10.0)]
row = run_bench.row_of("w", "w", pairs_ours, pairs_peer, flops=3e9, quality="q", gemm=1.0)
check(row["ratios"] == [0.5, 2.0, 0.3], f"pair ratios {row['ratios']}")
check(row["ratio"] == 0.5, f"median ratio {row['ratio']}")
check(row["aelab_s"] == 3.0 and row["peer_s"] == 2.0, f"medians {row['aelab_s']} {row['peer_s']}")
check(abs(row["floor"] - 1.0) < 1e-12, f"floor {row['floor']}: 3 GFLOP at 1 GFLOP/s in 3 s")
check(run_bench.checks(row) == ["q 1 vs 1.5 (rel 0.3)"], f"check column {run_bench.checks(row)}")

# Each run's own GEMM rate, measured right after its timed part, judges that run's floor: the
# floor is the median of the runs' fractions (3/1/1, 3/0.5/4, 3/2/3 GFLOP at GFLOP/s over s).
drifting = [{"w": dict(o["w"], gemm_gflops=rate)} for o, rate in zip(pairs_ours, (1.0, 0.5, 2.0))]
row = run_bench.row_of("w", "w", drifting, pairs_peer, flops=3e9, quality="q", gemm=1.0)
check(abs(row["floor"] - 1.5) < 1e-12 and row["gemm_rates"] == [1.0, 0.5, 2.0],
      f"floor at each run's rate {row['floor']}, rates {row.get('gemm_rates')}")
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    run_bench.print_table([row], 1.0, {
        "aelab": "OpenBLAS 0.3.21 Cooperlake",
        "peer": "OpenBLAS 0.3.21 Haswell (OPENBLAS_CORETYPE=Haswell)"})
check("1.0 GFLOP/s at start-up; 0.5 to 2.0 right after" in printed.getvalue(),
      f"table header {printed.getvalue()!r}")
check("BLAS kernels: aelab OpenBLAS 0.3.21 Cooperlake; peer OpenBLAS 0.3.21 Haswell "
      "(OPENBLAS_CORETYPE=Haswell)" in printed.getvalue(), f"table header {printed.getvalue()!r}")

# The GEMMs timed alone at the workload's shapes bound the floor fraction any epoch can reach.
for pair, gemms in zip(pairs_ours, (2.0, 1.5, 2.5)):
    pair["w"]["gemms_seconds"] = gemms
row = run_bench.row_of("w", "w", pairs_ours, pairs_peer, flops=3e9, quality="q", gemm=1.0)
check(row["gemms_s"] == 2.0 and abs(row["gemm_bound"] - 1.5) < 1e-12,
      f"GEMM bound {row.get('gemms_s')} s, {row.get('gemm_bound')}")
check("its GEMMs alone 2.00 s: floor at most 150%" in run_bench.checks(row),
      f"check column {run_bench.checks(row)}")

# Adam's least memory traffic adds to the GEMMs: together they bound the floor fraction lower.
for pair, adam, traffic in zip(pairs_ours, (0.6, 0.4, 0.8), (0.5, 0.25, 1.0)):
    pair["w"].update(adam_seconds=adam, adam_traffic_seconds=traffic)
row = run_bench.row_of("w", "w", pairs_ours, pairs_peer, flops=3e9, quality="q", gemm=1.0)
check(row["adam_s"] == 0.6 and row["adam_traffic_s"] == 0.5
      and abs(row["step_bound"] - 3 / 2.5) < 1e-12,
      f"Adam {row.get('adam_s')} s, traffic {row.get('adam_traffic_s')} s, "
      f"bound {row.get('step_bound')}")
check("Adam 0.60 s, its memory traffic alone 0.50 s: with the GEMMs, floor at most 120%"
      in run_bench.checks(row), f"check column {run_bench.checks(row)}")

# The test-set metrics, timed with their forward FLOPs: the floor fraction of evaluation.
for pair, seconds in zip(pairs_ours, (0.5, 0.25, 1.0)):
    pair["w"].update(eval_seconds=seconds, eval_flops=1e9)
row = run_bench.row_of("w", "w", pairs_ours, pairs_peer, flops=3e9, quality="q", gemm=1.0)
check(row["eval_s"] == 0.5 and abs(row["eval_floor"] - 2.0) < 1e-12,
      f"evaluation {row.get('eval_s')} s, floor {row.get('eval_floor')}")
check("test-set metrics 0.50 s: floor 200%" in run_bench.checks(row),
      f"check column {run_bench.checks(row)}")

# History: each workload against the last earlier run that measured it.
history = [{"date": "d1", "commit": "a" * 40, "blas": {"aelab": "OpenBLAS 0.3.21 SkylakeX"},
            "rows": [{"label": "w", "ratio": 0.9, "aelab_s": 9.0}]},
           {"date": "d2", "commit": "b" * 40, "rows": [{"label": "other", "ratio": 1, "aelab_s": 1}]}]
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    run_bench.compare(history, [row], {"aelab": "OpenBLAS 0.3.21 Haswell"})
check("ratio 0.90x -> 0.50x" in printed.getvalue() and "d1" in printed.getvalue()
      and "BLAS OpenBLAS 0.3.21 SkylakeX -> OpenBLAS 0.3.21 Haswell" in printed.getvalue(),
      f"comparison printed {printed.getvalue()!r}")
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    run_bench.compare(history, [row], {"aelab": "OpenBLAS 0.3.21 SkylakeX"})
check("ratio 0.90x -> 0.50x" in printed.getvalue() and "BLAS" not in printed.getvalue(),
      f"the same kernels named anyway: {printed.getvalue()!r}")
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    run_bench.compare([], [row], {"aelab": "OpenBLAS 0.3.21 Haswell"})
check("nothing to compare" in printed.getvalue(), f"empty history printed {printed.getvalue()!r}")

# The FLOP counts the floor uses: the MLP of the shared peer's README (389 GFLOP an epoch).
flops = run_bench.TRAIN_STEP * run_bench.TRAIN_IMAGES * run_bench.mlp_macs([512, 256], 32)
check(abs(flops / 1e9 - 389.3) < 0.1, f"784-512-256-32 epoch: {flops / 1e9:.1f} GFLOP")

# A missing peer script is found before anything runs; the project's own peers are all there.
chosen = run_bench.pairs("aelab_bench", shared_peer="/nonexistent/peer_pytorch_ae.py")
check(run_bench.missing_peers(chosen) == ["/nonexistent/peer_pytorch_ae.py"] * 2,
      f"missing peers {run_bench.missing_peers(chosen)}")
check(run_bench.missing_peers([p for p in chosen if not p.key.startswith("mlp")]) == [],
      "the peers in bench/peers/ are all found")

for failure in failures:
    print("FAIL:", failure)
print(f"run_bench: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
