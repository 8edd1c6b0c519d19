# Shared by bench/run.sh and bench/accounts.sh (sourced, not run): small helpers, and stopping what a
# bench started.
# The caller sets ROOT, WORK and DOVECOTS=() and appends every Dovecot directory it starts; JVMs write
# their pid to $WORK/pids/<name>.pid (benchtool's measure starts them in their own process group).

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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
section() { printf '\n=== %s ===\n' "$*"; }

# Reads a Maildir corpus into the page cache, so a timed run does not measure the disk.
cache_corpus() {
  find "$1/mail" -type f -print0 | xargs -0 cat > /dev/null
}
