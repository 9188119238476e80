#!/usr/bin/env python3
"""Peak resident memory of each phase of an adrec audit or produce.

Usage: python3 bench/phase_memory.py ADREC_BINARY audit VOLUME [options...]
       python3 bench/phase_memory.py ADREC_BINARY --matter M produce VOL001 ...

Runs the command with ADREC_AUDIT_TIMING=1 and ADREC_PRODUCE_TIMING=1, reads
the process's VmRSS from /proc every 3 ms (Linux only), and prints, for each
phase the command announces on stderr, the highest resident memory seen
between the end of the phase before and its own end, then the peak of the
whole run. getrusage's peak (what bench/natives.sh reports) says how high the
run went; this says where.
"""
import os
import re
import subprocess
import sys
import threading
import time

# A phase's line; a load file's own line is indented after the bracket.
PHASE = re.compile(r"^\[(?:audit|produce) timing\] (\S[^:]*):")


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    env = dict(os.environ, ADREC_AUDIT_TIMING="1", ADREC_PRODUCE_TIMING="1")
    start = time.monotonic()
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, text=True)
    marks = []  # (seconds, phase), in order

    def read_phases():
        for line in proc.stderr:
            m = PHASE.match(line)
            if m:
                marks.append((time.monotonic() - start, m.group(1)))

    reader = threading.Thread(target=read_phases)
    reader.start()
    samples = []  # (seconds, MB)
    status = f"/proc/{proc.pid}/status"
    while proc.poll() is None:
        try:
            with open(status) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        samples.append((time.monotonic() - start, int(line.split()[1]) / 1024))
                        break
        except (FileNotFoundError, ProcessLookupError):
            break
        time.sleep(0.003)
    reader.join()
    if not samples:
        print("no samples: the command ended at once, or this is not Linux", file=sys.stderr)
        return 1
    before = 0.0
    for at, phase in marks:
        seen = [mb for t, mb in samples if before <= t <= at]
        peak = f"{max(seen):7.1f} MB" if seen else "no sample (too short)"
        print(f"{phase:44s} until {at:7.2f} s: peak {peak}")
        before = at
    print(f"{'whole run':44s} {samples[-1][0]:13.2f} s: peak {max(mb for _, mb in samples):7.1f} MB (exit {proc.returncode})")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
