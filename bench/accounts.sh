#!/usr/bin/env bash
# mailbridge with many accounts in one process: backfill throughput, then the steady idle state
# (TCP connections to the IMAP server, JVM threads, RSS, CPU). See bench/README.md and
# docs/scaling.md ("One replica").
#
#   bash bench/accounts.sh
#
# For each entry of ACCOUNTS, one Dovecot (scripts/dovecot.sh, throwaway, in a temp dir) with users
# u1..uK, each with the same generated corpus, and ONE mailbridge process (target/mailbridge.jar,
# -Xmx256m) reading all K as accounts a1..aK (mail.accounts, mail.account.aN.username/password).
# Measured per K:
#   backfill: 'after start' (Camel's "started in" line -> mtime of the last of the K*M record files, as
#             benchtool measure), and 'wall' (JVM start -> last record: with many accounts the first
#             records come before "started in"), msg/s over both, CPU (user+system of the JVM, start ->
#             backfill done, and the part before "started in"), peak RSS (VmHWM);
#   idle:     after SETTLE_S, over IDLE_S seconds: established TCP connections from the JVM to
#             Dovecot's port (/proc/<pid>/fd + /proc/<pid>/net/tcp{,6}, cross-checked with ss -tnp),
#             Dovecot's imap sessions in IDLE (verbose_proctitle), with a folder selected (Maildir index
#             open) or without; JVM threads (/proc/<pid>/status; by name with jcmd Thread.print), RSS,
#             live heap after a full GC (jcmd), CPU of the JVM and of Dovecot's processes (/proc/<pid>/stat).
# benchtool measure stops the JVM at the N-th record; here the same JVM must go on into its idle state,
# so a small monitor (acctool.py, written into the temp dir below) runs it instead, with the same timing.
#
# Environment:
#   ACCOUNTS   ("1 10 50") entries K or K:M; M = messages per account (all folders together),
#              default TOTAL/K so every row moves the same number of messages
#   TOTAL      (10000) see ACCOUNTS
#   FOLDERS    (1) folders per account: INBOX, Archive, Archive2, ... (Maildir++ .Archive); M is split
#              evenly over them
#   PROFILE    (small) benchtool gen profile: small (1.5-2.5 KB text) or mixed (1-50 KB, 10% with a
#              200 KB attachment)
#   POLL_DELAY (5s, the product default) mail.imap.poll-delay; IDLE (true) mail.imap.idle
#   SETTLE_S (5) IDLE_S (30) the idle window starts SETTLE_S after the backfill and lasts IDLE_S
#   TIMEOUT_S (900) per backfill; STOP_ON_OOM (1: stop the JVM at its first OutOfMemoryError, as benchtool
#              measure does; 0: let it go on until all records are there, TIMEOUT_S or a stall); MAILBRIDGE_JAVA_OPTS extra JVM options
#   STALL_S    (60) a backfill with no new record and nothing read for this long is stopped as stalled and the
#              next K goes on (benchtool.py's Watch, as in bench/run.sh; see bench/lib.sh)
#   STREAM_RATE (0 = off) after the idle window, the same JVM: new messages delivered into the K INBOX
#              Maildirs (round-robin, tmp/ then rename into new/, as an MDA) at STREAM_RATE msg/s in all, for
#              STREAM_S (30) seconds; then up to STREAM_DRAIN_S (20) s for the records; each message is matched
#              to its record by Message-ID: delivery -> record file mtime p50/p95/p99/max, missing, CPU of the
#              JVM and Dovecot over the stream, the JVM's by thread name ('(unseen)': what the per-thread
#              /proc counters miss, each is whole 10 ms ticks, so ~1,000 threads each using a little fall short;
#              '(ended)': threads born and gone in the window), threads the stream added (jcmd Thread.print
#              after the drain against the one before) (per-message times in the temp dir: results/stream-kNNNNN.json);
#              the stream rows are also appended to STREAM_RESULTS_FILE (bench/results/accounts-stream.txt)
#   RESULTS_FILE (bench/results/last-accounts-run.txt); KEEP_WORK=1 keeps the temp dir (JVM logs, JSON, thread dumps)
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$BENCH/.." && pwd -P)
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"
ACCOUNTS=${ACCOUNTS:-"1 10 50"}
TOTAL=${TOTAL:-10000}
FOLDERS=${FOLDERS:-1}
PROFILE=${PROFILE:-small}
POLL_DELAY=${POLL_DELAY:-5s}
IDLE=${IDLE:-true}
SETTLE_S=${SETTLE_S:-5}
IDLE_S=${IDLE_S:-30}
TIMEOUT_S=${TIMEOUT_S:-900}
STREAM_RATE=${STREAM_RATE:-0}
STREAM_S=${STREAM_S:-30}
STREAM_DRAIN_S=${STREAM_DRAIN_S:-20}
PASSWORD=secret
[[ $TOTAL =~ ^[0-9]+$ && $FOLDERS =~ ^[1-9][0-9]*$ && $SETTLE_S =~ ^[0-9]+$ && $IDLE_S =~ ^[1-9][0-9]*$ ]] \
  || { echo "TOTAL, FOLDERS, SETTLE_S, IDLE_S must be numbers" >&2; exit 2; }
[[ $STREAM_RATE =~ ^[0-9]+(\.[0-9]+)?$ && $STREAM_S =~ ^[1-9][0-9]*$ && $STREAM_DRAIN_S =~ ^[0-9]+$ ]] \
  || { echo "STREAM_RATE, STREAM_S, STREAM_DRAIN_S must be numbers" >&2; exit 2; }
[[ $PROFILE == small || $PROFILE == mixed ]] || { echo "PROFILE must be small or mixed" >&2; exit 2; }
SPECS=()
for e in $ACCOUNTS; do
  [[ $e =~ ^([1-9][0-9]*)(:([1-9][0-9]*))?$ ]] || { echo "ACCOUNTS entry must be K or K:M: $e" >&2; exit 2; }
  k=${BASH_REMATCH[1]} m=${BASH_REMATCH[3]:-$((TOTAL / BASH_REMATCH[1]))}
  (( m / FOLDERS >= 1 )) || { echo "$e: fewer messages per account than folders" >&2; exit 2; }
  SPECS+=("$k:$((m / FOLDERS * FOLDERS))")
done

mkdir -p "$BENCH/results"
LOG=${RESULTS_FILE:-$BENCH/results/last-accounts-run.txt}
exec > >(tee "$LOG") 2>&1

WORK=$(mktemp -d /tmp/mailbridge-accounts.XXXXXX)
chmod 755 "$WORK"            # Dovecot's mail processes (user "mail" under root) must traverse it
SINKS=$(mktemp -d /dev/shm/mailbridge-accounts-sinks.XXXXXX 2>/dev/null || { mkdir -p "$WORK/sinks" && echo "$WORK/sinks"; })
RES="$WORK/results"
mkdir -p "$RES" "$WORK/pids"
DOVECOTS=()
TOOL=(python3 "$BENCH/benchtool.py")
ACCTOOL=(env PYTHONPATH="$BENCH" PYTHONDONTWRITEBYTECODE=1 python3 "$WORK/acctool.py")   # imports benchtool's stall detector

cleanup() {
  local rc=$?
  stop_started
  if [[ ${KEEP_WORK:-0} == 1 ]]; then echo "kept $WORK (logs, results) and $SINKS (records, dead letters)"; else rm -rf "$WORK" "$SINKS"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

folder_name() { if (( $1 == 1 )); then echo INBOX; elif (( $1 == 2 )); then echo Archive; else echo "Archive$(($1 - 1))"; fi; }
folder_list() { local i s=""; for ((i = 1; i <= FOLDERS; i++)); do s+="${s:+,}$(folder_name "$i")"; done; echo "$s"; }
folder_dir() { if (( $1 == 1 )); then echo ""; else echo ".$(folder_name "$1")"; fi; }  # Maildir++: .Archive = folder Archive

# The monitor: benchtool measure stops the JVM as soon as the N-th record exists; here the same JVM
# must go on into its idle state, so this runs it, times the backfill the same way ('after start' =
# "started in" line -> N-th record mtime), then samples the idle window, then stops it.
cat > "$WORK/acctool.py" <<'PY'
import argparse, json, os, random, re, subprocess, sys, threading, time
from benchtool import Watch, describe, stop_group   # bench/benchtool.py: the stall detector every bench wait shares

HZ = os.sysconf("SC_CLK_TCK")

def cpu_s(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / HZ   # utime + stime (fields 14, 15), all threads
    except (FileNotFoundError, ProcessLookupError):
        return None

def status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        return None

def conns(pid, port):
    """established TCP connections of pid to 127.0.0.1:port (or ::ffff:127.0.0.1:port)"""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                t = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if t.startswith("socket:["):
                inodes.add(t[8:-1])
    except FileNotFoundError:
        return None
    n = 0
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                next(f)
                for line in f:
                    p = line.split()
                    if p[3] == "01" and int(p[2].rsplit(":", 1)[1], 16) == port and p[9] in inodes:
                        n += 1
        except FileNotFoundError:
            pass
    return n

def conns_ss(pid, port):
    try:
        out = subprocess.run(["ss", "-Htnp", "state", "established", f"( dport = :{port} )"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return sum(1 for line in out.splitlines() if f"pid={pid}," in line)

def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == ppid:
                        out.append(int(d))
            except (FileNotFoundError, ProcessLookupError):
                pass
    return out

def dovecot_cpu(master):
    return sum(c or 0 for c in (cpu_s(p) for p in [master] + children(master)))

def dovecot_sessions(master):
    """this Dovecot's imap processes (one per connection): (in IDLE, with a folder selected, with none).
    verbose_proctitle shows the running command ('dovecot-test-P/imap [u1 127.0.0.1 IDLE]'); a session
    with a folder selected holds that Maildir's dovecot.index.log open."""
    idle = selected = bare = 0
    for p in children(master):
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                title = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except FileNotFoundError:
            continue
        if not re.search(r"/imap( \[|$)", title):
            continue
        if re.search(r" IDLE\]", title):
            idle += 1
            continue
        is_open = False
        try:
            for fd in os.listdir(f"/proc/{p}/fd"):
                try:
                    if os.readlink(f"/proc/{p}/fd/{fd}").endswith("/dovecot.index.log"):
                        is_open = True
                        break
                except OSError:
                    pass
        except FileNotFoundError:
            continue
        if is_open:
            selected += 1
        else:
            bare += 1
    return idle, selected, bare

def count_json(d):
    n = 0
    for _root, _dirs, files in os.walk(d):
        n += sum(1 for f in files if f.endswith(".json") and not f.startswith("."))
    return n

def record_times(d):
    """all record mtimes, and the last one per account (first path element under d)"""
    ts, per = [], {}
    for root, _dirs, files in os.walk(d):
        acct = os.path.relpath(root, d).split(os.sep)[0]
        for f in files:
            if f.endswith(".json") and not f.startswith("."):
                t = os.stat(os.path.join(root, f)).st_mtime
                ts.append(t)
                per[acct] = max(per.get(acct, 0), t)
    ts.sort()
    return ts, per

def thread_groups(pid, dump):
    """JVM threads by name with digits and Camel's prefix dropped (jcmd Thread.print)"""
    try:
        out = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return {}
    with open(dump, "w") as f:
        f.write(out)
    groups = {}
    for line in out.splitlines():
        m = re.match(r'^"(.*?)"', line)
        if not m:
            continue
        name = re.sub(r"^Camel \(.*?\) thread #\d+ - ", "", m.group(1))
        name = re.sub(r"://.*", "", name)
        name = re.sub(r"\d+", "N", name)
        groups[name] = groups.get(name, 0) + 1
    return groups

def live_heap_mb(pid):
    """heap in use right after a full GC (jcmd GC.run, then GC.heap_info): the live set"""
    try:
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
        out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"used (\d+)K", out)
    return int(m.group(1)) / 1024 if m else None


# ------------------------------------------------------------------ stream phase (STREAM_RATE > 0)

def record_paths(d):
    out = set()
    for root, _dirs, files in os.walk(d):
        for f in files:
            if f.endswith(".json") and not f.startswith("."):
                out.add(os.path.join(root, f))
    return out

def stream_body(rng, words, size):
    """about size bytes of lower-case pseudo-words, lines of at most 72 characters, LF line ends"""
    out, line, total = [], [], 0
    while total < size:
        w = rng.choice(words)
        if sum(len(x) + 1 for x in line) + len(w) > 72:
            out.append(" ".join(line))
            total += len(out[-1]) + 1
            line = []
        line.append(w)
    return "\n".join(out) + "\n"

def pct(xs, q):
    """nearest-rank percentile of a sorted list"""
    if not xs:
        return None
    return xs[min(len(xs) - 1, max(0, -(-len(xs) * q // 100) - 1))]

def task_cpu(pid, only=None):
    """CPU seconds per JVM thread: {tid: (name with digits -> N, utime + stime)}; names as the kernel keeps
    them (the first 15 characters of the Java thread name); only: skip the tids in this set"""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return out
    for t in tids:
        if only is not None and t in only:
            continue
        try:
            with open(f"/proc/{pid}/task/{t}/stat") as f:
                raw = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw.rsplit(")", 1)[1].split()
        out[t] = (re.sub(r"\d+", "N", name), (int(fields[11]) + int(fields[12])) / HZ)
    return out

def stream_phase(a, pid, st, res):
    """Delivers round(rate*seconds) messages into the INBOX Maildirs of u1..uK, round-robin, at a fixed
    total rate, as an MDA does (write into tmp/, rename into new/); then waits up to drain_s for their
    records and matches them by Message-ID. Latency = record file mtime - time right after the rename."""
    k, rate = a.k, a.stream_rate
    n_total = int(round(rate * a.stream_s))
    boxes = [os.path.join(a.mail_dir, f"u{i}") for i in range(1, k + 1)]
    owners = []
    for b in boxes:
        s = os.stat(b)
        owners.append((s.st_uid, s.st_gid))
    rng = random.Random(4242)
    syll = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "pe", "dan", "mor", "til", "quo", "zen"]
    words = ["".join(rng.choice(syll) for _ in range(rng.randint(1, 4))) for _ in range(2000)]
    bodies = [stream_body(rng, words, rng.randint(900, 1900)) for _ in range(64)]  # ~1.5-2.5 KB messages
    before = record_paths(a.count_dir)
    sent = []            # (seq, account number, message id, delivery time)
    lag_max = 0.0
    st["t_stream0"] = time.time()
    c0, d0, self0, tasks0 = cpu_s(pid), dovecot_cpu(a.dovecot_pid), os.times(), task_cpu(pid)
    t0 = time.time()
    newer, next_look, c_mid = {}, t0 + 0.5, None   # threads born in the window, at their last sighting
    for seq in range(n_total):
        due = t0 + seq / rate
        now = time.time()
        if now >= next_look:             # twice a second: threads that did not exist at the start
            newer.update(task_cpu(pid, only=tasks0))
            next_look = now + 0.5
        if seq == n_total // 2:
            c_mid, t_mid = cpu_s(pid), now
        if due > now:
            time.sleep(due - now)
            now = time.time()
        lag_max = max(lag_max, now - due)
        i = seq % k
        mid = f"<stream-{k}-{seq}@mailbridge.bench>"
        hdr = (f"Return-Path: <streamer@example.com>\n"
               f"Message-ID: {mid}\n"
               f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime(now))}\n"
               f"From: \"Streamer\" <streamer@example.com>\n"
               f"To: \"User {i + 1}\" <u{i + 1}@example.com>\n"
               f"Subject: Stream message {seq} to u{i + 1}\n"
               f"MIME-Version: 1.0\n"
               f"Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n")
        data = (hdr + bodies[seq % len(bodies)]).encode("ascii")
        vsize = len(data) + data.count(b"\n")   # Dovecot's W= (CRLF size), as benchtool gen names its files
        name = f"{int(now)}.M{int(now * 1e6) % 1000000}P{os.getpid()}Q{seq}.mailbridge-bench,S={len(data)},W={vsize}"
        tmp = os.path.join(boxes[i], "tmp", name)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, data)
            os.fchown(fd, *owners[i])      # as Dovecot's own mail user; no fsync (the rename is what publishes it)
        finally:
            os.close(fd)
        os.rename(tmp, os.path.join(boxes[i], "new", name))
        sent.append((seq, i + 1, mid, time.time()))
    end = t0 + n_total / rate          # the window is n_total slots of 1/rate s, the last one included
    if end > time.time():
        time.sleep(end - time.time())
    t1 = time.time()
    c1, d1, self1, tasks1 = cpu_s(pid), dovecot_cpu(a.dovecot_pid), os.times(), task_cpu(pid)
    st["t_stream1"] = t1
    by_name = {}        # JVM CPU over the stream window by thread name
    for t, (name, c) in tasks1.items():
        by_name[name] = by_name.get(name, 0) + c - (tasks0[t][1] if t in tasks0 else 0)
    ended = {t: v for t, v in newer.items() if t not in tasks1}   # born and gone within the window
    for t, (name, c) in ended.items():
        by_name[name + " (ended)"] = by_name.get(name + " (ended)", 0) + c
    if c0 is not None and c1 is not None:   # threads too short-lived to be seen, and rounding
        by_name["(unseen)"] = (c1 - c0) - sum(by_name.values())
    # drain: match new record files to the delivered messages until all are there or drain_s passed
    want = {m[2]: m for m in sent}
    found, seen, dups, others = {}, set(), 0, 0
    deadline = t1 + a.drain_s
    while True:
        for path in record_paths(a.count_dir) - before - seen:
            try:
                mtime = os.stat(path).st_mtime
                with open(path) as f:
                    rec = json.load(f)
            except (OSError, ValueError):
                continue            # not complete yet (the sink renames complete files; be safe anyway)
            seen.add(path)
            m = rec.get("messageId")
            if m is not None and not m.startswith("<"):
                m = f"<{m}>"
            if m not in want:
                others += 1
            elif m in found:
                dups += 1
            else:
                found[m] = (mtime, rec.get("key"))
        if len(found) == len(want) or time.time() > deadline:
            break
        time.sleep(0.25)
    t_drained = time.time()
    groups = thread_groups(pid, a.log + ".threads-after-stream.txt")   # which threads the stream added
    g0 = res.get("thread_groups") or {}
    lats = sorted(found[m][0] - want[m][3] for m in found)
    per_acct = {}
    for m, (mt, _key) in found.items():
        per_acct.setdefault(want[m][1], []).append(mt - want[m][3])
    acct_max = sorted(((max(v), acct) for acct, v in per_acct.items()), reverse=True)
    window = t1 - t0
    res.update({
        "stream_rate": rate, "stream_s": a.stream_s, "stream_n": n_total, "stream_window_s": window,
        "stream_achieved_rate": n_total / window if window > 0 else None, "stream_lag_max_s": lag_max,
        "stream_recorded": len(found), "stream_missing": n_total - len(found), "stream_dups": dups,
        "stream_other_records": others, "stream_drain_s": t_drained - t1, "stream_drain_max_s": a.drain_s,
        "stream_lat_p50_s": pct(lats, 50), "stream_lat_p95_s": pct(lats, 95), "stream_lat_p99_s": pct(lats, 99),
        "stream_lat_max_s": lats[-1] if lats else None, "stream_lat_min_s": lats[0] if lats else None,
        "stream_lat_over_1s": sum(1 for x in lats if x > 1.0),
        "stream_accounts_over_1s": sum(1 for mx, _a in acct_max if mx > 1.0),
        "stream_slowest_accounts": [[acct, round(mx, 3)] for mx, acct in acct_max[:5]],
        "stream_cpu_s": c1 - c0 if c0 is not None and c1 is not None else None,
        "stream_dovecot_cpu_s": d1 - d0,
        "stream_deliverer_cpu_s": (self1.user + self1.system) - (self0.user + self0.system),
        "stream_missing_ids": sorted(set(want) - set(found))[:20],
        "stream_cpu_by_thread": sorted(([n, round(c, 2)] for n, c in by_name.items() if c > 0), key=lambda x: -x[1])[:10],
        "stream_threads_born": len(newer), "stream_threads_born_ended": len(ended),
        "stream_thread_groups_delta": {n: groups.get(n, 0) - g0.get(n, 0) for n in set(groups) | set(g0)
                                       if groups.get(n, 0) != g0.get(n, 0)} if groups else None,
        "stream_cpu_2nd_half_s": c1 - c_mid if c_mid is not None and c1 is not None else None,
        "stream_2nd_half_window_s": t1 - t_mid if c_mid is not None else None,
    })
    with open(a.stream_out, "w") as f:
        json.dump({"t0": t0, "t1": t1,
                   "messages": [{"seq": s, "account": acct, "messageId": m, "delivered": t,
                                 "recorded": found[m][0] if m in found else None,
                                 "key": found[m][1] if m in found else None} for s, acct, m, t in sent]}, f)

def cmd_run(a):
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    marker = re.compile(a.marker)
    res = {"k": a.k, "m": a.m, "folders": a.folders, "n": a.n, "status": "running"}
    log = open(a.log, "w")
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=a.cwd, start_new_session=True)
    with open(a.pidfile, "w") as f:
        f.write(str(p.pid))
    st = {"started": None, "oom": False, "bad": [], "bad_n": 0, "t_idle0": None, "bad_idle": 0,
          "t_stream0": None, "t_stream1": None, "bad_stream": 0}

    def pump():
        for raw in p.stdout:
            line = raw.decode("utf-8", "replace")
            log.write(line)
            log.flush()
            if st["started"] is None and marker.search(line):
                st["started"] = time.time()
                st["cpu_started"] = cpu_s(p.pid)
            if "OutOfMemoryError" in line:
                st["oom"] = True
            if re.search(r"\b(WARN|ERROR)\b|Exception", line):
                st["bad_n"] += 1
                if st["t_idle0"] is not None and st["t_stream0"] is None:
                    st["bad_idle"] += 1
                if st["t_stream0"] is not None:
                    st["bad_stream"] += 1   # during the stream and its drain
                if len(st["bad"]) < 8:
                    st["bad"].append(line.rstrip()[:300])

    th = threading.Thread(target=pump, daemon=True)
    th.start()
    deadline = t0 + a.timeout
    pid = p.pid
    watch = Watch(pid, t0)
    while True:
        time.sleep(0.5)
        n = count_json(a.count_dir) if os.path.isdir(a.count_dir) else 0
        if n >= a.n:
            res["status"] = "ok"
            break
        if p.poll() is not None:
            res["status"] = f"exited rc={p.returncode} with {n}/{a.n} records"
            break
        if time.time() > deadline:
            res["status"] = f"timeout after {a.timeout:.0f}s with {n}/{a.n} records"
            break
        why = watch.check(n, st["oom"] and a.stop_on_oom)   # an OutOfMemoryError, or STALL_S without progress
        if why:
            res["status"] = why
            res.update(watch.fields(n))
            break
    t_detect = time.time()
    res["cpu_backfill_s"] = cpu_s(pid)          # JVM start -> backfill detected (<= 0.5 s after the last record)
    res["cpu_startup_s"] = st.get("cpu_started")  # JVM start -> "started in" line
    res["hwm_backfill_mb"] = (status(pid, "VmHWM") or 0) / 1024
    res["threads_backfill"] = status(pid, "Threads")
    ts, per = record_times(a.count_dir) if os.path.isdir(a.count_dir) else ([], {})
    started = st["started"]
    res.update({
        "records": len(ts),
        "startup_s": started - t0 if started else None,
        "wall_s": ts[-1] - t0 if ts else None,
        "first_record_s": ts[0] - t0 if ts else None,
        "work_s": ts[-1] - started if ts and started else None,
        "second_half_s": ts[-1] - ts[len(ts) // 2] if len(ts) > 1 else None,
        "acct_done_min_s": min(per.values()) - started if per and started else None,
        "acct_done_max_s": max(per.values()) - started if per and started else None,
        "accounts_with_records": len(per),
    })
    if res["status"] == "ok" and p.poll() is None:
        time.sleep(a.settle)
        st["t_idle0"] = time.time()
        c0, d0, t_a = cpu_s(pid), dovecot_cpu(a.dovecot_pid), time.time()
        samples = []
        while time.time() - t_a < a.idle:
            samples.append((conns(pid, a.port), status(pid, "Threads"), (status(pid, "VmRSS") or 0) / 1024))
            time.sleep(1.0)
        c1, d1, t_b = cpu_s(pid), dovecot_cpu(a.dovecot_pid), time.time()
        idle_n, sel_n, bare_n = dovecot_sessions(a.dovecot_pid)
        cs = [s[0] for s in samples if s[0] is not None]
        res.update({
            "idle_window_s": t_b - t_a,
            "idle_cpu_s": c1 - c0 if c0 is not None and c1 is not None else None,
            "idle_dovecot_cpu_s": d1 - d0,
            "conns_min": min(cs) if cs else None, "conns_max": max(cs) if cs else None,
            "conns_ss": conns_ss(pid, a.port),
            "dovecot_idle_sessions": idle_n, "dovecot_selected_sessions": sel_n, "dovecot_bare_sessions": bare_n,
            "threads_min": min(s[1] for s in samples), "threads_max": max(s[1] for s in samples),
            "rss_idle_mb": samples[-1][2], "rss_idle_max_mb": max(s[2] for s in samples),
            "hwm_idle_mb": (status(pid, "VmHWM") or 0) / 1024,
            "records_after_idle": count_json(a.count_dir),
            "thread_groups": thread_groups(pid, a.log + ".threads.txt"),   # after the samples: jcmd adds an Attach Listener thread
            "live_heap_mb": live_heap_mb(pid),
        })
        if a.stream_rate > 0 and p.poll() is None:
            stream_phase(a, pid, st, res)
    if p.poll() is None:
        stop_group(p, 30 if res["status"] == "ok" else 5)   # SIGTERM, SIGKILL after the grace
    th.join(timeout=5)
    log.close()
    res.update({"warn_error_lines": st["bad_n"], "warn_error_lines_idle": st["bad_idle"], "first_warn_error": st["bad"],
                "warn_error_lines_stream": st["bad_stream"],
                "exit_code": p.returncode, "log": a.log})
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
    print(f"[K={a.k}] {describe(res)}: {res['records']} records, after start {fmt(res['work_s'])} s, "
          f"CPU {fmt(res['cpu_backfill_s'], 1)} s, peak RSS {fmt(res['hwm_backfill_mb'], 0)} MB; idle: "
          f"{res.get('conns_max', '-')} connections, {res.get('threads_max', '-')} threads, "
          f"CPU {fmt(res.get('idle_cpu_s'))} s in {fmt(res.get('idle_window_s'), 0)} s; "
          f"{st['bad_n']} WARN/ERROR lines")
    if res.get("stream_n") is not None:
        print(f"[K={a.k}] stream: {res['stream_n']} messages at {a.stream_rate:g}/s over {a.k} accounts in "
              f"{fmt(res['stream_window_s'], 1)} s: {res['stream_recorded']} recorded, {res['stream_missing']} missing, "
              f"{res['stream_dups']} duplicate; delivery -> record ms p50 {fmt(ms(res['stream_lat_p50_s']), 0)} "
              f"p95 {fmt(ms(res['stream_lat_p95_s']), 0)} p99 {fmt(ms(res['stream_lat_p99_s']), 0)} "
              f"max {fmt(ms(res['stream_lat_max_s']), 0)}; CPU JVM {fmt(res['stream_cpu_s'])} s, "
              f"dovecot {fmt(res['stream_dovecot_cpu_s'])} s; {st['bad_stream']} WARN/ERROR lines")
    for line in st["bad"]:
        print("   log: " + line)

def ms(v):
    return None if v is None else 1000 * v

def fmt(v, d=2):
    return "-" if v is None else f"{v:.{d}f}"

def ratio(a, b, d=2):
    return "-" if a is None or not b else f"{a / b:.{d}f}x"

def cmd_report(a):
    rows = [json.load(open(os.path.join(a.dir, f))) for f in sorted(os.listdir(a.dir)) if f.startswith("k-")]
    rows.sort(key=lambda r: r["k"])
    out = []
    w = out.append
    for r in rows:
        ok = r["status"] == "ok" and r.get("work_s")
        r["mps"] = r["n"] / r["work_s"] if ok else None
        r["mps_acct"] = r["mps"] / r["k"] if r["mps"] else None
        r["wall_mps"] = r["n"] / r["wall_s"] if ok and r.get("wall_s") else None
        r["cpu_after_start_s"] = r["cpu_backfill_s"] - r["cpu_startup_s"] if r.get("cpu_backfill_s") is not None and r.get("cpu_startup_s") is not None else None
        r["cpu_ms_msg"] = 1000 * r["cpu_after_start_s"] / r["n"] if ok and r.get("cpu_after_start_s") else None
        r["half_mps"] = (r["n"] - r["n"] // 2) / r["second_half_s"] if ok and r.get("second_half_s") else None
    w("Backfill (one JVM, K accounts read at once; 'after start' = Camel's \"started in\" line -> mtime of the")
    w("          last of the K*M record files; msg/s = K*M / after start; 'wall' = JVM start -> last record;")
    w("          '1st rec' = JVM start -> first record (can precede 'start s': accounts sync while Camel still starts")
    w("          the other routes); 'acct done' = after start of each account's last record, first and last account;")
    w("          CPU = JVM user+system: 'CPU s' start -> backfill done,")
    w("          'of which start' JVM start -> \"started in\", 'CPU ms/msg' = the rest / K*M)")
    h = (f"{'K':>4}{'folders':>8}{'msgs/acct':>10}{'records':>9}  {'status':<8}{'start s':>8}{'1st rec':>8}{'after start s':>14}{'msg/s':>8}"
         f"{'wall s':>7}{'wall msg/s':>11}{'msg/s/acct':>11}{'2nd half msg/s':>15}{'acct done s':>14}{'CPU s':>7}{'of which start':>15}{'CPU ms/msg':>11}{'peak RSS MB':>12}")
    w(h)
    w("-" * len(h))
    for r in rows:
        done = f"{fmt(r.get('acct_done_min_s'), 1)}-{fmt(r.get('acct_done_max_s'), 1)}"
        w(f"{r['k']:>4}{r['folders']:>8}{r['m']:>10}{r['records']:>9}  {r['status'][:8]:<8}{fmt(r.get('startup_s')):>8}{fmt(r.get('first_record_s')):>8}"
          f"{fmt(r.get('work_s')):>14}{fmt(r['mps'], 0):>8}{fmt(r.get('wall_s')):>7}{fmt(r['wall_mps'], 0):>11}{fmt(r['mps_acct'], 1):>11}{fmt(r['half_mps'], 0):>15}{done:>14}"
          f"{fmt(r.get('cpu_backfill_s'), 1):>7}{fmt(r.get('cpu_startup_s'), 1):>15}{fmt(r['cpu_ms_msg']):>11}{fmt(r.get('hwm_backfill_mb'), 0):>12}")
    for r in rows:
        if r["status"] != "ok":
            w(f"K={r['k']}: {describe(r)}")
    w("")
    idle_rows = [r for r in rows if r.get("idle_window_s")]
    if idle_rows:
        win = idle_rows[0]["idle_window_s"]
        w(f"Idle, after the backfill ({a.settle} s settle, then {win:.0f} s; poll-delay {a.poll_delay}, mail.imap.idle={a.idle};")
        w("      conns = established TCP connections of the JVM to Dovecot's port, min-max of 1 s samples (ss -tnp at the end);")
        w("      Dovecot's imap sessions: IDLE = in IDLE (process title), selected = a folder selected, not in IDLE,")
        w("      none = no folder selected (the session holds no Maildir index open);")
        w("      live heap = heap in use after a full GC at the end (jcmd GC.run + GC.heap_info);")
        w("      CPU = JVM user+system over the window, % of one core; dovecot = all of its processes)")
        h = (f"{'K':>4}{'conns':>9}{'(ss)':>6}{'conns/acct':>11}{'IDLE':>6}{'selected':>9}{'none':>6}{'threads':>8}{'RSS MB':>8}{'live heap MB':>13}"
             f"{'JVM CPU s':>10}{'% core':>7}{'dovecot CPU s':>14}{'WARN/ERROR':>11}")
        w(h)
        w("-" * len(h))
        for r in idle_rows:
            c = f"{r['conns_min']}-{r['conns_max']}" if r['conns_min'] != r['conns_max'] else f"{r['conns_max']}"
            pct = 100 * r["idle_cpu_s"] / r["idle_window_s"] if r.get("idle_cpu_s") is not None else None
            thr = f"{r['threads_max']}" if r["threads_min"] == r["threads_max"] else f"{r['threads_min']}-{r['threads_max']}"
            w(f"{r['k']:>4}{c:>9}{str(r.get('conns_ss')):>6}{r['conns_max'] / r['k']:>11.2f}{r['dovecot_idle_sessions']:>6}"
              f"{r['dovecot_selected_sessions']:>9}{r['dovecot_bare_sessions']:>6}{thr:>8}{r['rss_idle_mb']:>8.0f}{fmt(r.get('live_heap_mb'), 1):>13}{fmt(r.get('idle_cpu_s')):>10}{fmt(pct, 1):>7}"
              f"{fmt(r.get('idle_dovecot_cpu_s')):>14}{r['warn_error_lines_idle']:>11}")
        w("")
    base = rows[0] if rows and rows[0]["k"] == 1 else None
    if base:
        w("Against K=1 (x = row / K=1; 'per added account' = (row - K=1) / (K - 1))")
        h = (f"{'K':>4}{'msg/s':>8}{'wall msg/s':>11}{'msg/s/acct':>11}{'CPU ms/msg':>11}{'peak RSS':>9}{'idle RSS':>9}{'conns':>7}{'threads':>8}"
             f"{'idle CPU':>9}   per added account: {'conns':>6}{'threads':>8}{'RSS MB':>7}{'live heap MB':>13}{'idle CPU ms/s':>14}")
        w(h)
        w("-" * len(h))
        for r in rows[1:]:
            k1 = r["k"] - 1
            add = lambda key: (r[key] - base[key]) / k1 if r.get(key) is not None and base.get(key) is not None else None
            icpu = None
            if r.get("idle_cpu_s") is not None and base.get("idle_cpu_s") is not None:
                icpu = 1000 * (r["idle_cpu_s"] / r["idle_window_s"] - base["idle_cpu_s"] / base["idle_window_s"]) / k1
            w(f"{r['k']:>4}{ratio(r['mps'], base['mps']):>8}{ratio(r['wall_mps'], base['wall_mps']):>11}{ratio(r['mps_acct'], base['mps_acct']):>11}"
              f"{ratio(r['cpu_ms_msg'], base['cpu_ms_msg']):>11}{ratio(r.get('hwm_backfill_mb'), base.get('hwm_backfill_mb')):>9}"
              f"{ratio(r.get('rss_idle_mb'), base.get('rss_idle_mb')):>9}{ratio(r.get('conns_max'), base.get('conns_max')):>7}"
              f"{ratio(r.get('threads_max'), base.get('threads_max')):>8}{ratio(r.get('idle_cpu_s'), base.get('idle_cpu_s')):>9}"
              f"   {'':>19}{fmt(add('conns_max')):>6}{fmt(add('threads_max'), 1):>8}{fmt(add('rss_idle_mb'), 1):>7}{fmt(add('live_heap_mb'), 2):>13}{fmt(icpu):>14}")
        w("")
    stream_rows = [r for r in rows if r.get("stream_n") is not None]
    if stream_rows:
        w(f"Stream, after the idle window, same JVM (new mail into the K INBOX Maildirs, round-robin, at a fixed total rate;")
        w("      each message written into tmp/ and renamed into new/; 'lag' = the deliverer's worst delay behind its schedule;")
        w("      latency = record file mtime - time right after the rename, matched by Message-ID; missing = no record")
        w(f"      {stream_rows[0]['stream_drain_max_s']:g} s after the stream ended (the wait ends early once all are there); 'sent/s' =")
        w("      sent / stream window; '>1 s' = messages over 1 s, '>1 s accts' = accounts with one; CPU over the stream")
        w("      window (not the drain), JVM and all Dovecot processes, % of one core)")
        h = (f"{'K':>4}{'msg/s':>7}{'s':>4}{'sent':>6}{'sent/s':>7}{'lag ms':>7}{'recorded':>9}{'missing':>8}{'dup':>4}"
             f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'>1 s':>6}{'>1 s accts':>11}"
             f"{'JVM CPU s':>10}{'% core':>7}{'dovecot CPU s':>14}{'% core':>7}{'WARN/ERROR':>11}")
        w(h)
        w("-" * len(h))
        for r in stream_rows:
            win = r["stream_window_s"]
            p = lambda key: fmt(100 * r[key] / win if r.get(key) is not None and win else None, 1)
            w(f"{r['k']:>4}{r['stream_rate']:>7g}{r['stream_s']:>4g}{r['stream_n']:>6}{fmt(r['stream_achieved_rate'], 1):>7}"
              f"{fmt(ms(r['stream_lag_max_s']), 0):>7}{r['stream_recorded']:>9}{r['stream_missing']:>8}{r['stream_dups']:>4}"
              f"{fmt(ms(r['stream_lat_p50_s']), 0):>8}{fmt(ms(r['stream_lat_p95_s']), 0):>8}{fmt(ms(r['stream_lat_p99_s']), 0):>8}"
              f"{fmt(ms(r['stream_lat_max_s']), 0):>8}{r['stream_lat_over_1s']:>6}{r['stream_accounts_over_1s']:>11}"
              f"{fmt(r['stream_cpu_s']):>10}{p('stream_cpu_s'):>7}{fmt(r['stream_dovecot_cpu_s']):>14}{p('stream_dovecot_cpu_s'):>7}"
              f"{r.get('warn_error_lines_stream', 0):>11}")
        if a.append:   # the stream rows of every run, one after the other
            with open(a.append, "a") as f:
                f.write(f"# {a.label}\n" + "\n".join(out[-len(stream_rows) - 2:]) + "\n")
        for r in stream_rows:
            w(f"K={r['k']} stream: JVM CPU s by thread (kernel names, digits -> N): "
              + ", ".join(f"{n} {c:.2f}" for n, c in r.get("stream_cpu_by_thread", []))
              + f"; {r.get('stream_threads_born')} threads born in the window, {r.get('stream_threads_born_ended')} of them ended"
              f" (thread dump after the drain - before the stream, by name: {r.get('stream_thread_groups_delta')});"
              f" JVM CPU {fmt(r.get('stream_cpu_2nd_half_s'))} s in the 2nd half ({fmt(r.get('stream_2nd_half_window_s'), 1)} s),"
              f" {fmt(1000 * r['stream_cpu_s'] / r['stream_n'] if r.get('stream_cpu_s') is not None and r['stream_n'] else None, 1)} ms per message over the window")
            if r["stream_missing"] or r["stream_lat_over_1s"]:
                w(f"K={r['k']} stream: slowest accounts (account number, max s) {r['stream_slowest_accounts']}"
                  + (f"; first missing {r['stream_missing_ids'][:5]}" if r["stream_missing"] else ""))
        w("")
    big = max(idle_rows, key=lambda r: r["k"]) if idle_rows else None
    if big and big.get("thread_groups"):
        g = big["thread_groups"]
        w(f"JVM threads at K={big['k']} by name (jcmd Thread.print; digits -> N): "
          + ", ".join(f"{n} {name}" for name, n in sorted(g.items(), key=lambda x: -x[1]) if n > 1 or len(g) < 12)
          + f"; {sum(1 for n in g.values() if n == 1)} other single threads")
    for r in rows:
        if r.get("first_warn_error"):
            w(f"K={r['k']}: {r['warn_error_lines']} WARN/ERROR lines in the log, first: " + " | ".join(x[-160:] for x in r["first_warn_error"][:3]))
    print("\n".join(out))

def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="c", required=True)
    r = sub.add_parser("run")
    for k in ("k", "m", "folders", "n", "port", "dovecot_pid"):
        r.add_argument("--" + k.replace("_", "-"), type=int, required=True)
    for k in ("count_dir", "marker", "log", "out", "pidfile", "cwd"):
        r.add_argument("--" + k.replace("_", "-"), required=True)
    r.add_argument("--timeout", type=float, default=900)
    r.add_argument("--settle", type=float, default=5)
    r.add_argument("--idle", type=float, default=30)
    r.add_argument("--stop-on-oom", type=int, default=1)
    r.add_argument("--stream-rate", type=float, default=0)   # msg/s in all; 0 = no stream phase
    r.add_argument("--stream-s", type=float, default=30)
    r.add_argument("--drain-s", type=float, default=20)
    r.add_argument("--mail-dir", default=None)
    r.add_argument("--stream-out", default=None)
    r.add_argument("cmd", nargs=argparse.REMAINDER)
    rep = sub.add_parser("report")
    rep.add_argument("--dir", required=True)
    rep.add_argument("--settle", default="5")
    rep.add_argument("--poll-delay", default="5s")
    rep.add_argument("--idle", default="true")
    rep.add_argument("--append", default=None)   # also append the stream table's header and rows to this file
    rep.add_argument("--label", default="")
    a = ap.parse_args()
    cmd_run(a) if a.c == "run" else cmd_report(a)

if __name__ == "__main__":
    main()
PY

# corpus_for M: one generated Maildir per folder (M/FOLDERS messages each), copied into every user
corpus_for() {
  local m=$1 f per=$(($1 / FOLDERS))
  for ((f = 1; f <= FOLDERS; f++)); do
    [[ -d $WORK/corpus-$m-$f ]] && continue
    "${TOOL[@]}" gen --maildir "$WORK/corpus-$m-$f" --n "$per" --profile "$PROFILE" --seed $((41 + f)) \
      --manifest "$WORK/corpus-$m-$f.json" >/dev/null
  done
}

# start_mailboxes DIR K M -> sets PORT; Maildirs written before Dovecot starts (dovecot.sh chowns them)
start_mailboxes() {
  local dir=$1 k=$2 m=$3 t=$SECONDS i f users=() per=$(($3 / FOLDERS))
  corpus_for "$m"
  for ((i = 1; i <= k; i++)); do
    for ((f = 1; f <= FOLDERS; f++)); do
      mkdir -p "$dir/mail/u$i/$(folder_dir "$f")"
      cp -a "$WORK/corpus-$m-$f/." "$dir/mail/u$i/$(folder_dir "$f")/"
    done
    (( i > 1 )) && users+=("u$i:$PASSWORD")
  done
  PORT=$(free_port)
  # verbose_proctitle: each imap process shows its current command, so IDLE sessions can be counted
  DOVECOT_EXTRA_CONF='verbose_proctitle = yes' "$ROOT/scripts/dovecot.sh" start "$dir" "$PORT" u1 "$PASSWORD" "${users[@]}" >/dev/null
  DOVECOTS+=("$dir")
  for ((i = 1; i <= k; i++)); do
    "${TOOL[@]}" warm --port "$PORT" --n "$per" --user "u$i" --password "$PASSWORD" >/dev/null
  done
  if (( FOLDERS > 1 )); then  # benchtool warm indexes INBOX only
    python3 - "$PORT" "$k" "$PASSWORD" "$per" $(folder_list | tr ',' ' ' | cut -d' ' -f2-) <<'PY'
import imaplib, sys
port, k, pw, per, folders = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5:]
for i in range(1, k + 1):
    m = imaplib.IMAP4("127.0.0.1", port)
    m.login(f"u{i}", pw)
    for f in folders:
        typ, data = m.select(f, readonly=True)
        if typ != "OK" or int(data[0]) != per:
            sys.exit(f"u{i}/{f}: {typ} {data}, expected {per} messages")
        m.uid("FETCH", "1:*", "(UID FLAGS RFC822.SIZE INTERNALDATE)")
    m.logout()
PY
  fi
  sync  # the corpus's dirty pages are written back now, not during the timed run
  echo "K=$k: $k users x $FOLDERS folder(s) x $per messages on 127.0.0.1:$PORT ($((SECONDS - t)) s to copy, start and index)"
}

# the product, as documented (cf. mailbridge_cmd in bench/run.sh), with K accounts a1..aK = users u1..uK
mailbridge_cmd() {  # PORT K OUT CHECKPOINTS -> MB_CMD array
  local port=$1 k=$2 out=$3 ckpt=$4 i names=""
  for ((i = 1; i <= k; i++)); do names+="${names:+,}a$i"; done
  MB_CMD=(java -Xmx256m -Dmail.embedded.enabled=false -Dmail.embedded.demo-request=false
    -Dmail.imap.host=127.0.0.1 -Dmail.imap.port="$port" -Dmail.accounts="$names" -Dmail.imap.folders="$(folder_list)")
  for ((i = 1; i <= k; i++)); do
    MB_CMD+=(-Dmail.account.a$i.username=u$i -Dmail.account.a$i.password="$PASSWORD")
  done
  MB_CMD+=("-Dmail.sink.uri=file:$out/inbox?tempPrefix=.writing-" -Dmail.checkpoint.dir="$ckpt"
    -Dmail.dead-letter.uri="file:$out/dead" "-Dmail.outbox.uri=file:$out/outbox?delete=true"
    -Dmail.outbox.failed-uri="file:$out/failed" -Dmail.outbox.sent-uri="file:$out/sent" -Dmail.outbox.ledger-dir="$out/ledger"
    -Dmail.sink.log-level=OFF -Dcamel.management.enabled=false
    -Dmail.imap.poll-delay="$POLL_DELAY" -Dmail.imap.idle="$IDLE" ${MAILBRIDGE_JAVA_OPTS:-} -jar "$ROOT/target/mailbridge.jar")
}

run_k() {  # K M
  local k=$1 m=$2 dir="$WORK/dv-k$1" out="$SINKS/k$1-out" ckpt="$WORK/k$1-checkpoints"
  section "K=$k accounts x $m messages ($FOLDERS folder(s), $PROFILE)"
  start_mailboxes "$dir" "$k" "$m"
  cache_corpus "$dir"
  rm -rf "$out" "$ckpt"; mkdir -p "$out" "$WORK/run-k$k"
  mailbridge_cmd "$PORT" "$k" "$out" "$ckpt"
  echo "command: ${MB_CMD[*]:0:9} ... (${#MB_CMD[@]} arguments; -Dmail.account.aN.username=uN -Dmail.account.aN.password=... per account)"
  "${ACCTOOL[@]}" run --k "$k" --m "$m" --folders "$FOLDERS" --n $((k * m)) --port "$PORT" \
    --dovecot-pid "$(cat "$dir/run/master.pid")" --count-dir "$out/inbox" --marker 'started in' \
    --log "$WORK/k$k.log" --out "$RES/k-$(printf %05d "$k").json" --pidfile "$WORK/pids/k$k.pid" --cwd "$WORK/run-k$k" \
    --timeout "$TIMEOUT_S" --settle "$SETTLE_S" --idle "$IDLE_S" --stop-on-oom "${STOP_ON_OOM:-1}" \
    --stream-rate "$STREAM_RATE" --stream-s "$STREAM_S" --drain-s "$STREAM_DRAIN_S" --mail-dir "$dir/mail" \
    --stream-out "$RES/stream-k$(printf %05d "$k").json" -- "${MB_CMD[@]}"
  if [[ -d $out/dead ]] && [[ -n $(ls -A "$out/dead") ]]; then echo "K=$k: dead letters: $(ls "$out/dead" | head -5 | tr '\n' ' ')"; fi
  "$ROOT/scripts/dovecot.sh" stop "$dir" >/dev/null || true
  grep -iE 'error|fatal|warning' "$dir/dovecot.log" | grep -v 'Killed with signal 15' | head -5 | sed "s/^/K=$k dovecot.log: /" || true
  [[ ${KEEP_WORK:-0} == 1 ]] || rm -rf "$dir" "$out"
}

section "mailbridge accounts benchmark: ACCOUNTS=\"$ACCOUNTS\" (K:messages per account = ${SPECS[*]}), FOLDERS=$FOLDERS, PROFILE=$PROFILE"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(awk '/MemTotal/ {printf "%.1f GB RAM", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -n 2 | tr '\n' ' ')"
echo "dovecot: $(dovecot --version)   date: $(date -u +%FT%TZ)   commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "settings: -Xmx256m, mail.imap.poll-delay=$POLL_DELAY, mail.imap.idle=$IDLE, folders $(folder_list), idle window ${IDLE_S} s after ${SETTLE_S} s$(
  [[ $STREAM_RATE != 0 ]] && echo "; then a stream of $STREAM_RATE msg/s for $STREAM_S s (drain up to $STREAM_DRAIN_S s)")"

if [[ ! -f $ROOT/target/mailbridge.jar ]]; then
  section build
  (cd "$ROOT" && mvn -q -B -o package -DskipTests)
fi
echo "jar: target/mailbridge.jar of $(date -u -r "$ROOT/target/mailbridge.jar" +%FT%TZ)$([[ -n $(find "$ROOT/src/main" "$ROOT/routes" "$ROOT/application.properties" "$ROOT/pom.xml" -newer "$ROOT/target/mailbridge.jar" -type f 2>/dev/null | head -1) ]] && echo ' (WARNING: sources are newer than the jar)')"

for spec in "${SPECS[@]}"; do
  run_k "${spec%%:*}" "${spec#*:}"
done

section results
"${ACCTOOL[@]}" report --dir "$RES" --settle "$SETTLE_S" --poll-delay "$POLL_DELAY" --idle "$IDLE" \
  --append "${STREAM_RESULTS_FILE:-$BENCH/results/accounts-stream.txt}" \
  --label "$(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'): ACCOUNTS=\"$ACCOUNTS\" STREAM_RATE=$STREAM_RATE STREAM_S=$STREAM_S FOLDERS=$FOLDERS PROFILE=$PROFILE POLL_DELAY=$POLL_DELAY IDLE=$IDLE"
