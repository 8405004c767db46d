# The OpenBLAS kernels faiss-cpu runs fastest with on this machine. The faiss-cpu wheel bundles
# its own OpenBLAS (0.3.15 in 1.15.1), which does not know every core name facejob's Debian
# OpenBLAS picks: under OPENBLAS_CORETYPE=Cooperlake it ran IndexFlatL2 over 1M vectors at a
# quarter of its SkylakeX speed (300 against 1,100 queries/s; over 100k vectors every name ran
# alike). The peer gets whichever candidate makes that search fastest, so it races in its
# strongest build. The probe is that search: 1M vectors, 1,000 queries (about 30 s).
#   peer_blas_coretype PYTHON     prints the core name ("" for OpenBLAS's own choice)
peer_blas_coretype() {
  local python="$1" best="" best_qps=0 qps ct
  for ct in "${OPENBLAS_CORETYPE:-}" SkylakeX Haswell Zen ""; do
    qps=$(env -u OPENBLAS_CORETYPE ${ct:+OPENBLAS_CORETYPE=$ct} "$python" - 2>/dev/null <<'PY' || echo 0
import time, numpy as np, faiss
rng = np.random.default_rng(7)
x = rng.standard_normal((1000000, 128), dtype=np.float32); q = rng.standard_normal((1000, 128), dtype=np.float32)
index = faiss.IndexFlatL2(128); index.add(x); index.search(q[:20], 10)
ts = []
for _ in range(2):
    t = time.perf_counter(); index.search(q, 10); ts.append(time.perf_counter() - t)
print(int(1000 / min(ts)))
PY
)
    [[ "$qps" =~ ^[0-9]+$ ]] || qps=0
    if [ "$qps" -gt "$best_qps" ]; then best_qps=$qps best=$ct; fi
  done
  echo "bench: faiss-cpu runs with OpenBLAS kernels ${best:-of its own choice} (${best_qps} probe queries/s, its fastest here)" >&2
  printf '%s' "$best"
}
