# Shared by bench/run.sh and bench/accounts.sh (sourced, not run): stopping what a bench started.
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
