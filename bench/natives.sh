#!/usr/bin/env bash
# Issue 19 benchmark (run through `NATIVES=N bench/produce.sh`): a volume of
# N small natives (CSV, text and XML files of a few hundred bytes, 1,000 a
# folder; each gets a native file and a stamped slip sheet) produced by adrec
# against `cp -r` of the same natives followed by `sync`, in the same run.
# Prints, for each of RUNS pairs, both times and the CPU each spent (user
# and kernel: the kernel's work for each file created is most of both) and
# the ratio (bar: at most 2.5); adrec's peak RSS for the produce (bar: 300
# MB at 100,000; 400 MB at 1,000,000) and for `adrec audit` of the volume
# (bar: 300 MB). Not a test. The files are deleted after.
# The produce runs with ADREC_PRODUCE_TIMING=1: its phases are printed too.
# Last, bench/floor.c makes the volume's files alone (the kernel's share).
# After the volume, not compared and with no bar: the peak RSS of the
# cumulative exports (index as CSV and XLSX, privilege log as XLSX) and of
# a clawback of one produced document with its overlay volume, none of
# which holds the matter's rows.
#
# With WITHHELD=1 every native is tagged withheld instead (a slip sheet, its
# text and a privilege-log row each): the produce's peak RSS then shows what
# the privilege log costs (it is spilled and streamed like the index). The
# files-alone floor is not measured then (it makes a native's three files).
# LOG_PROFILE=P (with WITHHELD=1; without it the log is empty) writes that
# log under `[privilege_log] profile = P`, with `redactions = "separate"`
# (an empty redaction log: nothing is redacted) and the names legend:
# `metadata-only` is streamed like the default log; `categorical` holds its
# entries (each entry's Bates ranges, LOG_IDs and distinct descriptions).
# The audit then exits 1 (LOG_INCOMPLETE): a metadata-only log has no
# DESCRIPTION, a categorical one no author, recipients or single date.
#
# Run it on a quiet filesystem: on ext4 without a journal (as on the
# development machine's), each new inode skips those freed in the last 60-300 s, so
# deleting a few hundred thousand files just before makes every file
# created after it slower (measured: 42 % of a produce's CPU went there).
#
#   NATIVES=100000 bench/produce.sh [WORKDIR]   (default bench/work/natives)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${NATIVES:-100000}
withheld=${WITHHELD:-}
files_per_doc=$([ -n "$withheld" ] && echo 2 || echo 3)
work=${1:-bench/work/natives}
mkdir -p "$work"
work=$(cd "$work" && pwd)
# One run a work folder: two at once would write the same natives while the
# other ingests them (a produce then refuses a source that changed since it
# was recorded, as it must, and the figures mean nothing).
exec 9>"$work/.lock"
if ! flock -n 9; then
  echo "another natives benchmark is running in $work; wait for it to end" >&2
  exit 1
fi
if [ -n "${ADREC_BIN:-}" ]; then
  adrec=$ADREC_BIN
else
  cargo build --release --locked --quiet
  adrec=${CARGO_TARGET_DIR:-$PWD/target}/release/adrec
fi
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }
calc() { python3 -c "print(f'{$1:.2f}')"; }
# Runs a command and prints "SECONDS PEAK_RSS_MB EXIT USER_CPU KERNEL_CPU"
# (the child's maximum RSS and CPU seconds).
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
elapsed = time.monotonic() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{elapsed:.3f} {u.ru_maxrss / 1024:.0f} {r.returncode} {u.ru_utime:.2f} {u.ru_stime:.2f}")
PY
}

src="$work/natives"
# Files deleted in the last five minutes slow every file created now (see
# above): a run right after another (which deletes its files at the end)
# waits out the rest of that time first.
stamp="$work/.deleted-at"
if [ -e "$stamp" ]; then
  wait_s=$(( $(cat "$stamp") + 300 - $(date +%s) ))
  if [ "$wait_s" -gt 0 ]; then
    echo "== waiting ${wait_s} s: the last run deleted its files less than five minutes ago"
    sleep "$wait_s"
  fi
fi
if [ -e "$src" ] || [ -e "$work/matter" ]; then
  rm -rf "$src" "$work"/copy* "$work"/matter* "$work/floor-out"
  echo "== waiting 300 s: an interrupted run's files were just deleted"
  sleep 300
fi
echo "== $n natives in $src"
python3 - "$src" "$n" <<'PY'
import os, sys
out, n = sys.argv[1], int(sys.argv[2])
kinds = [("csv", "id,amount,note\n{i},{a},row {i}\n"), ("txt", "Memorandum {i}\nAmount {a}\n"),
         ("xml", "<record id=\"{i}\"><amount>{a}</amount></record>\n")]
for i in range(n):
    d = os.path.join(out, f"{i // 1000:04d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    ext, body = kinds[i % 3]
    with open(os.path.join(d, f"record-{i:07d}.{ext}"), "w") as f:
        f.write(body.format(i=i, a=i * 7 % 1000) * 4)
PY
sync
bytes=$(du -sb "$src" | cut -f1)

# Copies and volumes are deleted at the end, not between runs (see above).
m="$work/matter"
"$adrec" init "$m" >/dev/null
# Six digits (the template's width) number 999,999 pages: wider for more.
if [ "$n" -ge 999999 ]; then
  sed -i 's/^width = 6$/width = 7/' "$m/adrec.toml"
  grep -q '^width = 7$' "$m/adrec.toml" || { echo "could not widen the Bates numbers"; exit 1; }
fi
if [ -n "${LOG_PROFILE:-}" ]; then
  printf '\n[privilege_log]\nprofile = "%s"\nredactions = "separate"\nnames_legend = true\n' "$LOG_PROFILE" >> "$m/adrec.toml"
fi
s=$(now); "$adrec" --matter "$m" ingest "$src" >/dev/null; t_ingest=$(secs "$s" "$(now)")
"$adrec" --matter "$m" docs --format csv | tail -n +2 | cut -d, -f1 \
  | if [ -n "$withheld" ]; then
      awk 'BEGIN { print "docid,status,category,privilege,description,doc-date,doc-type,author,recipients" }
           { print $1 ",withhold,1,AC;DP,Legal advice from agency counsel on the draft rule (document " NR "),2023-05-0" (NR % 9 + 1) ",Memorandum,Jane Counsel (OGC),Program Office Director;Deputy Director" }'
    else
      awk 'BEGIN { print "docid,status,category" } { print $1 ",produce,1" }'
    fi > "$work/tags.csv"
"$adrec" --matter "$m" tag --from "$work/tags.csv" >/dev/null
# RUNS pairs (default 2 up to 200,000 natives, else 1): cp then produce,
# each produce from its own copy of the tagged matter. The host's noise is
# +-15-25 %; a pair's two times share most of it.
runs=${RUNS:-$([ "$n" -le 200000 ] && echo 2 || echo 1)}
for r in $(seq 2 "$runs"); do cp -a "$m" "$m-$r"; done
sync
pairs=()
for r in $(seq 1 "$runs"); do
  read -r t_cp _ _ cp_user cp_sys < <(measure sh -c 'cp -r "$1" "$2" && sync' sh "$src" "$work/copy-$r")
  mr=$m; [ "$r" = 1 ] || mr="$m-$r"
  read -r t_produce rss_produce rc p_user p_sys < <(measure env ADREC_PRODUCE_TIMING=1 "$adrec" --matter "$mr" produce VOL001 --date 2024-04-19)
  [ "$rc" = 0 ] || { echo "produce failed ($rc)"; exit 1; }
  # Kernel CPU a file created: about the same for both when neither met
  # recently deleted inodes (cp makes N files, the produce 3N, 2N withheld); one several
  # times the other, or both far above a settled run's, marks a slowed pair.
  per_file="kernel CPU a file: cp $(python3 -c "print(round($cp_sys * 1e6 / $n))") us, produce $(python3 -c "print(round($p_sys * 1e6 / ($files_per_doc * $n)))") us"
  pairs+=("run $r: cp -r + sync ${t_cp} s (CPU: user ${cp_user} s, kernel ${cp_sys} s); produce ${t_produce} s, peak RSS ${rss_produce} MB (CPU: user ${p_user} s, kernel ${p_sys} s); ratio $(calc "$t_produce / $t_cp"); ${per_file}")
done
read -r t_audit rss_audit rc_audit _ _ < <(measure "$adrec" audit "$m/productions/VOL001")
# The commands that read a matter's stored rows after the volume (not
# compared, no bar): the cumulative exports, and a clawback of one
# produced document with its overlay volume. Each should stay far below
# the produce's own peak: none holds the matter's rows.
after=()
for what in "index csv" "index xlsx" "privlog xlsx"; do
  read -r kind format <<< "$what"
  read -r t rss rc _ _ < <(measure "$adrec" --json --matter "$m" export "$kind" --format "$format" -o "$work/export.$format")
  after+=("export $kind as $format: ${t} s, peak RSS ${rss} MB (exit ${rc})")
done
rm -f "$work/export.csv" "$work/export.xlsx"
# The commands that read every document of the matter: the deadline
# status, the listing, and the plan of a next volume (every produced
# document is an earlier volume's then).
read -r t rss rc _ _ < <(measure "$adrec" --matter "$m" status --as-of 2024-04-19)
after+=("status: ${t} s, peak RSS ${rss} MB (exit ${rc})")
read -r t rss rc _ _ < <(measure "$adrec" --matter "$m" docs --format csv)
after+=("docs as CSV: ${t} s, peak RSS ${rss} MB (exit ${rc})")
read -r t rss rc _ _ < <(measure "$adrec" --matter "$m" produce VOL002 --dry-run)
after+=("a next volume's plan (dry run, nothing to produce): ${t} s, peak RSS ${rss} MB (exit ${rc})")
if [ -z "$withheld" ]; then
  recalled=$(sed -n "$((n / 2 + 1))p" "$work/tags.csv" | cut -d, -f1)
  read -r t rss rc _ _ < <(measure "$adrec" --matter "$m" clawback "$recalled" --privilege AC --description "Legal advice" --date 2024-05-01)
  after+=("clawback of $recalled: ${t} s, peak RSS ${rss} MB (exit ${rc})")
  "$adrec" --matter "$m" tag "$recalled" --doc-date 2024-01-02 --doc-type Memorandum --author Counsel --recipients Director >/dev/null
  read -r t rss rc _ _ < <(measure "$adrec" --matter "$m" produce OVL001 --overlay --date 2024-05-02)
  after+=("its overlay volume: ${t} s, peak RSS ${rss} MB (exit ${rc})")
fi
# The kernel's share (bench/floor.c): the same files, made by four threads
# with nothing else to do, then one syncfs. Needs a C compiler; skipped without.
floor="not measured (no C compiler)"
if [ -n "$withheld" ]; then
  floor="not measured (WITHHELD)"
elif cc -O2 -pthread bench/floor.c -o "$work/floor" 2>/dev/null; then
  slip=$(find "$m/productions/VOL001/IMAGES" -name '*.pdf' -print -quit)
  read -r t_floor _ rc_floor f_user f_sys < <(measure "$work/floor" "$src" "$work/floor-out" 4 "$(stat -c %s "$slip")")
  if [ "$rc_floor" = 0 ]; then
    floor="${t_floor} s (CPU: user ${f_user} s, kernel ${f_sys} s), $(calc "$t_floor / $t_cp") x the last cp+sync"
  else
    floor="failed (exit ${rc_floor}; its messages are above)"
  fi
fi

echo "natives                        : $n files, $((bytes / 1048576)) MiB${withheld:+, every one tagged withheld}${LOG_PROFILE:+, the log under profile $LOG_PROFILE}"
echo "adrec ingest (not compared)    : ${t_ingest} s"
echo "adrec produce (whole volume) against cp -r of the natives + sync (target: ratio <= 2.5):"
printf '  %s\n' "${pairs[@]}"
echo "adrec audit of the volume      : ${t_audit} s, peak RSS ${rss_audit} MB (exit ${rc_audit})"
echo "the same files, no other work  : ${floor}"
echo "after the volume (not compared):"
printf '  %s\n' "${after[@]}"
rm -rf "$src" "$m" "$m"-* "$work"/copy-* "$work/tags.csv" "$work/floor-out" "$work/floor"
date +%s > "$stamp"
