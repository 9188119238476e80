#!/usr/bin/env bash
# Benchmark for shared matters (issue 18): a 100,000-document matter, once on
# SQLite and once on PostgreSQL (the same matter migrated with
# `migrate-to-postgres`). On PostgreSQL 8 reviewers apply 8 different
# 10,000-row sheets at once; on SQLite one reviewer applies the same 80,000
# rows as one sheet. Then `docs --format csv` and `status` on each.
#
# Prints each time and the PostgreSQL/SQLite ratios (aims: tag at most 2x,
# docs and status at most 3x).
#
# Usage: bench/shared.sh   (N=100000; BENCH_WORK=bench/work/shared)
# Uses the server at PGHOST/PGPORT (user postgres) if BENCH_PG_HOST is set;
# otherwise starts a throwaway cluster like .ci/run (needs Debian's postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
REVIEWERS=8
PER=$((N / 10))
WORK=${BENCH_WORK:-$PWD/bench/work/shared}

cargo build --release --quiet
BIN=$PWD/target/release/adrec

rm -rf "$WORK"
mkdir -p "$WORK"

if [ -n "${BENCH_PG_HOST:-}" ]; then
  pghost=$BENCH_PG_HOST
  pgport=${BENCH_PG_PORT:-5432}
else
  pgbin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
  pgdir=$(mktemp -d /tmp/adrec-bench-pg.XXXXXX)
  pgport=55433
  pghost=$pgdir
  as_pg() {
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$pgdir"; su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
  }
  trap 'as_pg "$pgbin/pg_ctl -D $pgdir/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
  as_pg "$pgbin/initdb -D $pgdir/data -A trust -U postgres" >/dev/null
  # Durable settings: the comparison is with SQLite's synchronous commits.
  as_pg "$pgbin/pg_ctl -D $pgdir/data -l $pgdir/log -w -o '-k $pgdir -p $pgport -c listen_addresses=' start" >/dev/null
fi
db=adrec_bench_shared
psql() { command psql -X -q -h "$pghost" -p "$pgport" -U postgres "$@"; }
psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
url="postgresql://postgres@/$db?host=$pghost&port=$pgport"

echo "writing $N files and $REVIEWERS sheets of $PER rows in $WORK ..."
python3 - "$WORK" "$N" "$REVIEWERS" "$PER" <<'PY'
import os, sys
work, n, reviewers, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for i in range(n):
    d = os.path.join(work, "files", f"{i // 1000:03d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:06d}.txt"), "w") as f:
        f.write(f"document {i}\n")
header = "docid,status,category,description,note\n"
with open(os.path.join(work, "all.csv"), "w") as everything:
    everything.write(header)
    for r in range(reviewers):
        with open(os.path.join(work, f"reviewer{r}.csv"), "w") as sheet:
            sheet.write(header)
            for i in range(r * per + 1, (r + 1) * per + 1):
                row = f"DOC-{i:06d},produce,1,reviewed by {r},bench note {r}\n"
                sheet.write(row)
                everything.write(row)
PY

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

"$BIN" init "$WORK/sqlite" --template mpp-order >/dev/null
(cd "$WORK/sqlite" && "$BIN" ingest ../files >/dev/null)
# The same matter on the server, by the migration a team would use.
cp -a "$WORK/sqlite" "$WORK/pg"
t0=$(now); (cd "$WORK/pg" && "$BIN" migrate-to-postgres "$url" >/dev/null); t1=$(now)
echo "migrate-to-postgres of $N documents: $(secs "$t0" "$t1") s"

t0=$(now)
(cd "$WORK/sqlite" && "$BIN" tag --from ../all.csv >/dev/null)
t1=$(now)
sqlite_tag=$(secs "$t0" "$t1")

t0=$(now)
pids=()
for r in $(seq 0 $((REVIEWERS - 1))); do
  (cd "$WORK/pg" && USER=reviewer$r "$BIN" tag --from "../reviewer$r.csv" >/dev/null) &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
t1=$(now)
pg_tag=$(secs "$t0" "$t1")

time_cmd() { local dir=$1; shift; local a b; a=$(now); (cd "$dir" && "$BIN" "$@" >/dev/null); b=$(now); secs "$a" "$b"; }
sqlite_docs=$(time_cmd "$WORK/sqlite" docs --format csv)
pg_docs=$(time_cmd "$WORK/pg" docs --format csv)
sqlite_status=$(time_cmd "$WORK/sqlite" status --as-of 2026-12-01)
pg_status=$(time_cmd "$WORK/pg" status --as-of 2026-12-01)

# Same end state on both (the descriptions are the same rows).
cmp <(cd "$WORK/sqlite" && "$BIN" docs --format csv | cut -d, -f1-6) \
    <(cd "$WORK/pg" && "$BIN" docs --format csv | cut -d, -f1-6) >/dev/null \
  && echo "both matters hold the same documents and decisions" \
  || echo "WARNING: the two matters differ"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-44s %8s %8s %6s\n' "" "SQLite" "PgSQL" "ratio"
printf '%-44s %8.2f %8.2f %6s\n' "tag: 1x$((REVIEWERS * PER)) rows vs ${REVIEWERS}x$PER at once" "$sqlite_tag" "$pg_tag" "$(ratio "$pg_tag" "$sqlite_tag")"
printf '%-44s %8.2f %8.2f %6s\n' "docs --format csv ($N docs)" "$sqlite_docs" "$pg_docs" "$(ratio "$pg_docs" "$sqlite_docs")"
printf '%-44s %8.2f %8.2f %6s\n' "status" "$sqlite_status" "$pg_status" "$(ratio "$pg_status" "$sqlite_status")"
