# shellcheck shell=bash
# Shared by bench/run.sh, bench/accounts.sh and bench/compare.sh (sourced, not run): small helpers, and
# stopping what a bench started.
# The caller sets ROOT, WORK and DOVECOTS=() and appends every Dovecot directory it starts; JVMs write
# their pid to $WORK/pids/<name>.pid (benchtool's measure starts them in their own process group).

# STALL_S (60): every timed run is stopped (its whole process group) once it has gone this many seconds
# without progress (no new record and nothing read), or at an OutOfMemoryError in its output; the bench
# goes on with the next heap or run. The detector is benchtool.py's Watch; it reads STALL_S itself.
STALL_S=${STALL_S:-60}
[[ $STALL_S =~ ^[1-9][0-9]*$ ]] || { echo "STALL_S must be a whole number of seconds > 0" >&2; exit 2; }
export STALL_S

# Stops every JVM and Dovecot the bench started; the caller then removes its directories.
stop_started() {
  local d f pid
  for f in "$WORK"/pids/*.pid; do
    [[ -e $f ]] || continue
    pid=$(cat "$f")
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for d in "${DOVECOTS[@]}"; do
    "$ROOT/scripts/dovecot.sh" stop "$d" >/dev/null 2>&1 || true
  done
}

# Prints one top-level field of a JSON file (a benchtool result), e.g. json_field "$RES/baseline.json" status.
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$1" "$2"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
section() { printf '\n=== %s ===\n' "$*"; }

# Reads a Maildir corpus into the page cache, so a timed run does not measure the disk.
cache_corpus() {
  find "$1/mail" -type f -print0 | xargs -0 cat > /dev/null
}
