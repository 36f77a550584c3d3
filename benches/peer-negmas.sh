#!/usr/bin/env bash
# Side by side with the NegMAS peer benchmark on the same bilateral
# time-based negotiation (scenarios/negmas-bilateral.toml), in one session:
# negotiations per second of both, and the ratio.
#
#   bash benches/peer-negmas.sh [NEGMAS_RUNS] [ZOPA_RUNS]
#
# Needs Python 3 with pip (a virtual environment is made under /tmp) and the
# peer's script in ../shared/peers/ beside this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
negmas_runs=${1:-1000}
zopa_runs=${2:-1000000}
peer=../shared/peers/negmas_bench.py
venv=/tmp/negmas-venv

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import negmas' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q negmas==0.16.0
fi
cargo build --release -q

echo "NegMAS ($negmas_runs negotiations):"
negmas_out=$("$venv/bin/python" "$peer" --runs "$negmas_runs" --seed 1)
echo "$negmas_out"
negmas_rate=$(echo "$negmas_out" | sed -n 's/.*negotiations_per_second=\([0-9.]*\).*/\1/p')

echo "zopa ($zopa_runs negotiations, all cores):"
start=$(date +%s.%N)
target/release/zopa mc scenarios/negmas-bilateral.toml --runs "$zopa_runs" --quiet --out /tmp/zopa-peer
end=$(date +%s.%N)
zopa_rate=$(python3 -c "print(f'{$zopa_runs / ($end - $start):.1f}')")
python3 - "$zopa_runs" /tmp/zopa-peer/mc-summary.json <<'PY'
import json, sys
s = json.load(open(sys.argv[2]))
st = s["settlement"][0]
print(f"runs={sys.argv[1]} agreed_fraction={s['deal']['p']:.3f} mean_agreement={st['mean']:.2f} "
      f"median_first_zone_step={s['first_zone_step']['median']}")
PY
echo "zopa negotiations_per_second=$zopa_rate (all cores)"
python3 -c "print(f'ratio zopa/NegMAS = {$zopa_rate / $negmas_rate:.0f}x')"

# NegMAS runs on one core: the same comparison with zopa on one thread.
start=$(date +%s.%N)
target/release/zopa mc scenarios/negmas-bilateral.toml --runs "$zopa_runs" --threads 1 --quiet --out /tmp/zopa-peer-1
end=$(date +%s.%N)
one=$(python3 -c "print(f'{$zopa_runs / ($end - $start):.1f}')")
echo "zopa negotiations_per_second=$one (one thread)"
python3 -c "print(f'ratio zopa/NegMAS, one core each = {$one / $negmas_rate:.0f}x')"
