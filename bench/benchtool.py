#!/usr/bin/env python3
"""Helpers for bench/run.sh (standard library only).

  gen     --maildir DIR --n N [--profile mixed|small] [--seed S] --manifest FILE
          writes N deterministic messages straight into DIR/cur as Maildir files
  warm    --port P --manifest FILE    SELECT INBOX + UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE),
          so Dovecot has built its index/uidlist before anything is timed
  measure --name NAME --n N --count-dir DIR --marker REGEX --log FILE --out FILE [--timeout S] -- CMD...
          runs CMD, times it until DIR holds N *.json files, then SIGTERMs it; peak RSS via wait4()
  run     --name NAME --log FILE [--count-dir DIR] [--out FILE] [--timeout S] -- CMD...
          runs CMD until it exits; exit code = CMD's, or 124 if it was stopped (timeout, stall, OOM)
          measure and run stop a run that stalls or logs an OutOfMemoryError (Watch, STALL_S)
  limit   --port P --n N --manifest FILE --out FILE
          one raw `UID FETCH 1:* (UID FLAGS RFC822)` over a plain socket, bytes read and discarded
  report  --dir RESULTS_DIR           prints the table and the summary line
"""
import argparse
import base64
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time

MB = 1_000_000.0

# --------------------------------------------------------------------------------------------- gen

WORDS = None


def text_pool(rng, size):
    """size bytes of lower-case pseudo-words in lines of at most 72 characters, LF line ends."""
    syll = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "pe", "dan", "mor", "til", "quo", "zen",
            "bri", "ost", "el", "ar", "un", "ix"]
    words = ["".join(rng.choice(syll) for _ in range(rng.randint(1, 4))) for _ in range(4000)]
    out, line, total = [], [], 0
    while total < size:
        w = rng.choice(words)
        if sum(len(x) + 1 for x in line) + len(w) > 72:
            s = " ".join(line)
            out.append(s)
            total += len(s) + 1
            line = []
        line.append(w)
    return ("\n".join(out) + "\n").encode("ascii")


def cmd_gen(a):
    rng = random.Random(a.seed)
    pool = text_pool(rng, 4 * 1024 * 1024)
    blobs = [base64.encodebytes(rng.randbytes(200 * 1024)) for _ in range(8)]  # 76-char lines
    cur = os.path.join(a.maildir, "cur")
    os.makedirs(cur, exist_ok=True)
    for d in ("new", "tmp"):
        os.makedirs(os.path.join(a.maildir, d), exist_ok=True)
    base_time = 1735689600  # 2025-01-01T00:00:00Z
    total = 0
    total_crlf = 0
    n_att = n_flagged = n_seen = 0
    for i in range(1, a.n + 1):
        if a.profile == "small":
            size = rng.randint(1500, 2500)
            att = False
        else:
            size = rng.randint(1024, 50 * 1024)
            att = rng.random() < 0.10
        flagged = rng.random() < 0.15
        seen = rng.random() < 0.30
        off = rng.randrange(0, len(pool) - size - 200)
        start = pool.index(b"\n", off) + 1
        end = pool.index(b"\n", start + max(0, size - 600)) + 1  # ~600 bytes of headers
        text = pool[start:end]
        t = base_time + i * 37
        date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))
        hdr = (f"Return-Path: <sender{i % 97}@example.com>\n"
               f"Message-ID: <bench-{a.seed}-{i}@mailbridge.bench>\n"
               f"Date: {date}\n"
               f"From: \"Sender {i % 97}\" <sender{i % 97}@example.com>\n"
               f"To: Alice <alice@example.com>\n"
               f"Subject: Benchmark message {i} of {a.n}\n"
               f"MIME-Version: 1.0\n")
        if att:
            n_att += 1
            boundary = f"=_bench_{i}_boundary"
            body = (f"Content-Type: multipart/mixed; boundary=\"{boundary}\"\n\n"
                    f"--{boundary}\nContent-Type: text/plain; charset=us-ascii\n"
                    f"Content-Transfer-Encoding: 7bit\n\n").encode("ascii") + text + (
                f"\n--{boundary}\nContent-Type: application/octet-stream; name=\"blob-{i}.bin\"\n"
                f"Content-Disposition: attachment; filename=\"blob-{i}.bin\"\n"
                f"Content-Transfer-Encoding: base64\n\n").encode("ascii") + blobs[i % 8] + (
                f"--{boundary}--\n").encode("ascii")
        else:
            body = b"Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n" + text
        data = hdr.encode("ascii") + body
        flags = ("F" if flagged else "") + ("S" if seen else "")
        n_flagged += flagged
        n_seen += seen
        vsize = len(data) + data.count(b"\n")
        # Dovecot's own naming: S= physical size, W= virtual (CRLF) size, so it never has to read a file for RFC822.SIZE
        name = f"{t}.M{i}P4242.bench,S={len(data)},W={vsize}:2,{flags}"
        path = os.path.join(cur, name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o644)
        os.utime(path, (t, t))  # Maildir INTERNALDATE = mtime
        total += len(data)
        total_crlf += vsize
    manifest = {"n": a.n, "profile": a.profile, "seed": a.seed, "bytes": total, "bytes_crlf": total_crlf,
                "attachments": n_att, "flagged": n_flagged, "seen": n_seen}
    with open(a.manifest, "w") as f:
        json.dump(manifest, f)
    print(f"generated {a.n} messages ({a.profile}), {total / MB:.1f} MB, {n_att} with attachment, "
          f"{n_flagged} flagged, {n_seen} seen -> {a.maildir}")


# -------------------------------------------------------------------------------------------- warm

def cmd_warm(a):
    import imaplib
    t = time.time()
    m = imaplib.IMAP4("127.0.0.1", a.port)
    m.login(a.user, a.password)
    typ, data = m.select("INBOX", readonly=True)
    exists = int(data[0])
    typ, data = m.uid("FETCH", "1:*", "(UID FLAGS RFC822.SIZE INTERNALDATE)")
    m.logout()
    print(f"dovecot indexed INBOX: {exists} messages ({time.time() - t:.1f} s)")
    if a.n and exists != a.n:
        sys.exit(f"expected {a.n} messages in INBOX, server has {exists}")


# ------------------------------------------------------------------------------------------- watch

def stall_seconds():
    """STALL_S from the environment (default 60): seconds a run may go without progress before it is stopped."""
    v = os.environ.get("STALL_S") or "60"
    try:
        s = float(v)
    except ValueError:
        s = 0
    if not s > 0:
        sys.exit(f"STALL_S must be a number of seconds > 0, not {v!r}")
    return s


def group_rchar(pgid):
    """Bytes the processes of process group pgid have read so far (rchar of /proc/PID/io: files, pipes,
    sockets), or None when none of them can be read."""
    total, seen = 0, False
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[2]) != pgid:
                    continue
            with open(f"/proc/{d}/io") as f:
                for line in f:
                    if line.startswith("rchar:"):
                        total += int(line.split()[1])
                        seen = True
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total if seen else None


class Watch:
    """The stall detector every wait of the bench shares (measure and run here, accounts.sh's monitor).
    A run makes progress while its record count changes or its process group reads (rchar: the baseline
    reads the whole folder before it writes its first record, mailbridge's idle-poll harness writes none);
    check() says 'OOM' once an OutOfMemoryError was in its output, 'stalled' after stall_s seconds
    without progress, else None. A sleeping JVM reads nothing (seen: rchar unchanged over 12 s)."""

    def __init__(self, pgid, t0, stall_s=None):
        self.pgid = pgid
        self.t0 = t0
        self.stall_s = stall_seconds() if stall_s is None else stall_s
        self.t_progress = t0
        self.records = None
        self.rchar = None
        self.t_read = 0.0

    def check(self, records, oom=False):
        now = time.time()
        if oom:
            return "OOM"
        if records is not None and records != self.records:
            self.records, self.t_progress = records, now
        if now - self.t_read >= 1.0:  # a scan of /proc, once a second
            self.t_read = now
            r = group_rchar(self.pgid)
            if r is not None and r != self.rchar:
                self.rchar, self.t_progress = r, now
        return "stalled" if now - self.t_progress >= self.stall_s else None

    def fields(self, records):
        """What the results keep of a run this watch stopped: where it was, when, and after how long without progress."""
        now = time.time()
        return {"records_at_stop": records, "stall_s": self.stall_s, "stopped_after_s": round(now - self.t0, 1),
                "no_progress_s": round(now - self.t_progress, 1), "last_progress_s": round(self.t_progress - self.t0, 1),
                "bytes_read": self.rchar}


def describe(r):
    """A run's outcome in words for the tables: 'ok', or what stopped it, at which record count and when."""
    st = r.get("status", "?")
    n = r.get("records_at_stop", r.get("records"))
    at = f" at {n:,} records" if isinstance(n, int) else ""
    after = r.get("stopped_after_s")
    when = f", stopped {after:.0f} s after start" if after is not None else ""
    if st == "OOM":
        return f"OutOfMemoryError{at}{when}"
    if st == "stalled":
        return f"stalled{at} after {r.get('stall_s', 0):g} s without progress{when}"
    return st


def stop_group(p, grace):
    """SIGTERM to p's process group, SIGKILL to what is left of it after grace seconds (or once p has
    exited); reaps p and returns (rusage, exit code)."""
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    end = time.time() + grace
    # WNOWAIT: p stays a zombie until reaped below, so its group id cannot be reused before the SIGKILL
    while time.time() < end and not os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
        time.sleep(0.1)
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _pid, st, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(st)
    return ru, p.returncode


def launch(cmd, log_path, cwd=None, pidfile=None, marker=None):
    """Starts cmd in its own process group, its output into log_path; a thread notes the marker line's
    time, an OutOfMemoryError and the lines worth showing -> (Popen, state, thread, log file)."""
    log = open(log_path, "w")
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True)
    if pidfile:
        with open(pidfile, "w") as f:
            f.write(str(p.pid))
    state = {"started": None, "oom": False, "lines": []}

    def pump():
        for raw in p.stdout:
            line = raw.decode("utf-8", "replace")
            log.write(line)
            log.flush()
            if state["started"] is None and marker is not None and marker.search(line):
                state["started"] = time.time()
            if "OutOfMemoryError" in line:
                state["oom"] = True
            if "ImapUidConsumer" in line or "BENCH-" in line:
                state["lines"].append(line.rstrip())

    th = threading.Thread(target=pump, daemon=True)
    th.start()
    return p, state, th, log


# ----------------------------------------------------------------------------------------- measure

def count_json(d):
    n = 0
    for root, _dirs, files in os.walk(d):
        for f in files:
            if f.endswith(".json") and not f.startswith("."):
                n += 1
    return n


def mtimes(d):
    """(first, last, middle) record mtime; the middle one splits the run into halves."""
    ts = sorted(os.stat(os.path.join(root, f)).st_mtime
                for root, _dirs, files in os.walk(d)
                for f in files if f.endswith(".json") and not f.startswith("."))
    if not ts:
        return None, None, None
    return ts[0], ts[-1], ts[len(ts) // 2]


def cmd_measure(a):
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    res = {"name": a.name, "n": a.n, "status": "running", "cmd": " ".join(cmd)}
    t0 = time.time()
    p, state, th, log = launch(cmd, a.log, a.cwd, a.pidfile, re.compile(a.marker))
    watch = Watch(p.pid, t0)
    deadline = t0 + a.timeout
    n = 0
    ru = None
    rc = None
    while True:
        time.sleep(0.25)
        n = count_json(a.count_dir) if os.path.isdir(a.count_dir) else 0
        if n >= a.n:
            res["status"] = "ok"
            break
        pid, st, r = os.wait4(p.pid, os.WNOHANG)
        if pid:
            ru, rc = r, os.waitstatus_to_exitcode(st)
            n = count_json(a.count_dir) if os.path.isdir(a.count_dir) else 0
            res["status"] = "ok" if n >= a.n else f"exited rc={rc} with {n}/{a.n} records"
            break
        if time.time() > deadline:
            res["status"] = f"timeout after {a.timeout:g}s with {n}/{a.n} records"
            break
        why = watch.check(n, state["oom"])  # an OutOfMemoryError, or STALL_S without progress: stop it now
        if why:
            res["status"] = why
            res.update(watch.fields(n))
            break
    t_detect = time.time()
    if ru is None:
        ru, rc = stop_group(p, 30 if res["status"] == "ok" else 5)  # 30 s for a graceful stop, then SIGKILL
    p.returncode = rc  # reaped by wait4 above
    th.join(timeout=5)
    log.close()
    lo, hi, mid = mtimes(a.count_dir) if os.path.isdir(a.count_dir) else (None, None, None)
    if state["oom"] and res["status"] != "OOM":
        res["status"] = "OOM"
        res.setdefault("records_at_stop", n)
        res.setdefault("stopped_after_s", round(t_detect - t0, 1))
    res.update({
        "records": count_json(a.count_dir) if os.path.isdir(a.count_dir) else 0,
        "t_process_start": t0,
        "t_started": state["started"],
        "t_first_record": lo,
        "t_last_record": hi,
        "t_detected": t_detect,
        "wall_s": (hi - t0) if hi else None,                                 # process start -> N-th record
        "work_s": (hi - state["started"]) if hi and state["started"] else None,  # Camel started -> N-th record
        "first_to_last_s": (hi - lo) if hi and lo else None,
        "second_half_s": (hi - mid) if hi and mid else None,                 # N/2-th record -> N-th record
        "startup_s": (state["started"] - t0) if state["started"] else None,
        "peak_rss_mb": (ru.ru_maxrss / 1024.0) if ru else None,
        "cpu_user_s": ru.ru_utime if ru else None,                           # whole process, start to exit
        "cpu_sys_s": ru.ru_stime if ru else None,
        "log_lines": state["lines"][-6:],
        "log": a.log,
    })
    for kv in a.set:
        k, _, v = kv.partition("=")
        res[k] = v
    res["outcome"] = describe(res)
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
    print(f"[{a.name}] {res['outcome']}: {res['records']} records, wall {fmt(res['wall_s'])} s, "
          f"after start {fmt(res['work_s'])} s, peak RSS {fmt(res['peak_rss_mb'], 0)} MB")


def cmd_run(a):
    """CMD until it exits, its output in --log; stopped (its whole process group) at --timeout, or when
    the Watch sees an OutOfMemoryError or STALL_S seconds without progress. --out gets the outcome."""
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    res = {"name": a.name, "status": "running", "cmd": " ".join(cmd)}
    t0 = time.time()
    p, state, th, log = launch(cmd, a.log, a.cwd, a.pidfile)
    watch = Watch(p.pid, t0)
    deadline = t0 + a.timeout
    n = None
    while True:
        time.sleep(0.25)
        if os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
            res["status"] = "exited"
            break
        n = count_json(a.count_dir) if a.count_dir and os.path.isdir(a.count_dir) else (0 if a.count_dir else None)
        if time.time() > deadline:
            res["status"] = f"timeout after {a.timeout:g}s"
            res.update(watch.fields(n))
            break
        why = watch.check(n, state["oom"])
        if why:
            res["status"] = why
            res.update(watch.fields(n))
            break
    _ru, rc = stop_group(p, 30 if res["status"] == "exited" else 5)
    th.join(timeout=5)
    log.close()
    if state["oom"] and res["status"] != "OOM":  # also when it exited by itself
        res["status"] = "OOM"
        res.setdefault("records_at_stop", n)
        res.setdefault("stopped_after_s", round(time.time() - t0, 1))
    res.update({"rc": rc, "records": count_json(a.count_dir) if a.count_dir and os.path.isdir(a.count_dir) else None,
                "log": a.log})
    res["outcome"] = describe(res)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(res, f, indent=1)
    if res["status"] != "exited":
        print(f"[{a.name}] {res['outcome']}", flush=True)
    sys.exit(rc if res["status"] == "exited" else 124)


def fmt(v, d=2):
    return "-" if v is None else f"{v:.{d}f}"


# ------------------------------------------------------------------------------------------- limit

def cmd_limit(a):
    t0 = time.time()
    s = socket.create_connection(("127.0.0.1", a.port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 * 1024 * 1024)
    f = s.makefile("rb")
    f.readline()

    def simple(tag, command):
        s.sendall(f"{tag} {command}\r\n".encode())
        while True:
            line = f.readline()
            if line.startswith(tag.encode() + b" "):
                if not line.startswith(tag.encode() + b" OK"):
                    sys.exit(f"{command!r} failed: {line!r}")
                return

    simple("a0", f"LOGIN {a.user} {a.password}")
    simple("a1", "EXAMINE INBOX")
    f.close()  # nothing buffered: EXAMINE's tagged line was the last thing the server sent
    buf = bytearray(4 * 1024 * 1024)
    view = memoryview(buf)
    end_tag = b"\r\na2 "
    tail = b""
    ctail = b""
    total = 0
    fetches = 0
    t_cmd = time.time()
    s.sendall(b"a2 UID FETCH 1:* (UID FLAGS RFC822)\r\n")
    while True:
        k = s.recv_into(view)
        if k == 0:
            sys.exit("connection closed before the tagged response")
        total += k
        chunk = bytes(view[:k])
        # tail is shorter than the pattern, so a response split across two reads is counted exactly once
        fetches += (ctail + chunk).count(b" FETCH (UID ")
        ctail = chunk[-11:]
        probe = tail + chunk
        i = probe.find(end_tag)
        if i >= 0:
            rest = probe[i + 2:]
            while b"\r\n" not in rest:
                k = s.recv_into(view)
                rest += bytes(view[:k])
                total += k
            if not rest.startswith(b"a2 OK"):
                sys.exit(f"UID FETCH failed: {rest[:200]!r}")
            break
        tail = probe[-8:]
    t_end = time.time()
    s.sendall(b"a3 LOGOUT\r\n")
    s.close()
    man = json.load(open(a.manifest))
    res = {"name": "limit", "status": "ok" if fetches >= a.n else f"only {fetches}/{a.n} FETCH responses",
           "n": a.n, "records": fetches, "bytes_on_wire": total,
           "wall_s": t_end - t0, "work_s": t_end - t_cmd, "startup_s": t_cmd - t0,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
           "manifest_bytes": man["bytes"]}
    with open(a.out, "w") as fo:
        json.dump(res, fo, indent=1)
    print(f"[limit] {res['status']}: {fetches} messages, {total / MB:.1f} MB on the wire in {res['work_s']:.2f} s "
          f"({fetches / res['work_s']:.0f} msg/s)")


# ------------------------------------------------------------------------------------------ report

def load(d, name):
    p = os.path.join(d, name + ".json")
    return json.load(open(p)) if os.path.exists(p) else None


def cmd_report(a):
    d = a.dir
    man = load(d, "manifest")
    mb = load(d, "mailbridge")
    bl = load(d, "baseline")
    lim = load(d, "limit")
    kafka = load(d, "kafka")
    tries = sorted((json.load(open(os.path.join(d, f))) for f in os.listdir(d) if f.startswith("baseline-failed-")),
                   key=lambda r: r.get("t_process_start", 0))  # baseline runs stopped before the one in the table
    bytes_ = man["bytes"] if man else 0
    out = []
    w = out.append
    rate = {}
    if man:
        w(f"Backfill corpus: N={man['n']} messages, {bytes_ / MB:.1f} MB (Maildir file bytes; MB = 10^6 B), "
          f"{man['attachments']} with a 200 KB attachment, {man['flagged']} \\Flagged, {man['seen']} \\Seen")
    w("")
    if mb or bl or lim:
        backfill_table(w, out, mb, bl, lim, bytes_, rate, kafka, tries)
    idle = idle_table(w, d)
    mem = load(d, "memory")
    if mem:
        w("")
        wm = mem["n"] / mem["work_s"] if mem.get("work_s") and mem.get("status") == "ok" else None
        w(f"Memory run: mailbridge N={mem['n']} -Xmx256m: {describe(mem)}, {mem.get('records')} records, "
          f"after start {fmt(mem.get('work_s'))} s = {fmt(wm, 0)} msg/s, {fmt(bytes_ / MB / mem['work_s'] if wm else None, 1)} MB/s, "
          f"peak RSS {fmt(mem.get('peak_rss_mb'), 0)} MB")
    summary(w, rate, idle, mb or bl or lim or idle)
    print("\n".join(out))


def backfill_table(w, out, mb, bl, lim, bytes_, rate, kafka=None, tries=()):
    w("Backfill (msg/s and MB/s over 'after start' = Camel context started -> N-th record file mtime;")
    w("          for the limit: UID FETCH sent -> tagged OK; 'wall' = process start -> N-th record;")
    w("          '2nd half' = records N/2..N over their mtimes, the rate once the JIT has warmed up;")
    w("          'CPU s' = user + system CPU of the whole process, start to exit)")
    hdr = f"{'run':<12}{'status':<10}{'records':>8}{'wall s':>9}{'start s':>9}{'after start s':>15}{'msg/s':>9}{'MB/s':>8}{'wall msg/s':>11}{'2nd half msg/s':>15}{'CPU s':>8}{'peak RSS MB':>13}{'heap':>9}{'vs mailbridge':>15}"
    w(hdr)
    w("-" * len(hdr))
    for r in (mb, kafka, bl, lim):
        if not r:
            continue
        ok = r.get("status") == "ok"
        if r["name"] == "limit" and not ok and r.get("bytes_on_wire", 0) >= r.get("manifest_bytes", 1):
            ok = True  # the server sent everything and the tagged OK; an earlier version miscounted FETCH responses
            r["status"] = "ok"
        work = r.get("work_s")
        wall = r.get("wall_s")
        mps = r["n"] / work if ok and work else None
        wmps = r["n"] / wall if ok and wall else None
        rate[r["name"]] = (mps, wmps)
        mbs = bytes_ / MB / work if ok and work else None
        half = r.get("second_half_s")
        hmps = (r["n"] - r["n"] // 2) / half if ok and half else None
        cpu = r["cpu_user_s"] + r["cpu_sys_s"] if r.get("cpu_user_s") is not None else None
        label = r["name"]
        if not ok:  # what stopped it, in words, where a row of numbers would mislead
            w(f"{label:<12}{describe(r)}  (CPU {fmt(cpu, 1)} s, peak RSS {fmt(r.get('peak_rss_mb'), 0)} MB, heap {r.get('heap', '-')})")
            continue
        w(f"{label:<12}{r['status'][:9]:<10}{r.get('records', 0):>8}{fmt(wall):>9}{fmt(r.get('startup_s')):>9}"
          f"{fmt(work):>15}{fmt(mps, 0):>9}{fmt(mbs, 1):>8}{fmt(wmps, 0):>11}{fmt(hmps, 0):>15}{fmt(cpu, 1):>8}"
          f"{fmt(r.get('peak_rss_mb'), 0):>13}"
          f"{r.get('heap', '-'):>9}{'':>15}")
    # ratio column
    base = rate.get("mailbridge", (None, None))[0]
    for i, line in enumerate(out):
        for name in ("mailbridge", "kafka", "baseline", "limit"):
            if line.startswith(name) and name in rate and rate[name][0] and base:
                out[i] = line[:-15] + f"{rate[name][0] / base:>14.2f}x"
    if kafka and kafka.get("broker_cpu_s") is not None:
        mine = (kafka["cpu_user_s"] + kafka["cpu_sys_s"]) if kafka.get("cpu_user_s") is not None else None
        w(f"kafka row: mailbridge CPU {fmt(mine, 1)} s, broker CPU {fmt(kafka['broker_cpu_s'], 1)} s, "
          f"offset counter (bench only) CPU {fmt(kafka.get('reader_cpu_s'), 1)} s; the sink is a one-node broker on the same cores")
    tries = [t for t in tries if not bl or t.get("t_process_start") != bl.get("t_process_start")]
    if tries:
        w("note: baseline " + "; ".join(f"with {t.get('heap')}: {describe(t)}" for t in tries)
          + (f"; the row shows its run with {bl.get('heap')}" if bl else ""))
    for r in (mb, bl):
        if r and r.get("log_lines"):
            w(f"{r['name']} log tail: " + " | ".join(x[-110:] for x in r["log_lines"][-3:]))
    w("")


def idle_table(w, d):
    idle = {}
    if not any(load(d, f"idle-{who}-{n}") for n in ("small", "big") for who in ("mailbridge", "baseline")):
        return idle
    w("Idle poll (nothing new; ms per poll measured around the consumer's own poll(), after backfill)")
    hdr2 = f"{'run':<12}{'N':>8}{'polls':>7}{'median ms':>11}{'mean ms':>10}{'min ms':>9}{'max ms':>9}{'backfill s':>12}{'heap':>7}  notes"
    w(hdr2)
    w("-" * len(hdr2))
    for n in ("small", "big"):
        for who in ("mailbridge", "baseline"):
            r = load(d, f"idle-{who}-{n}")
            if not r:
                continue
            if r.get("status") != "ok":
                w(f"{who:<12}{r.get('n', '?'):>8}  {r.get('status')}")
                continue
            idle[(who, n)] = r["median_ms"]
            w(f"{who:<12}{r['n']:>8}{r['polls']:>7} {r['median_ms']:>10.2f} {r['mean_ms']:>9.2f} {r['min_ms']:>8.2f}"
              f" {r['max_ms']:>8.2f} {r['backfill_s']:>11.1f}{r.get('heap', ''):>7}  {r.get('note', '')}")
    return idle


def summary(w, rate, idle, any_):
    w("")
    x = y = z = None
    if rate.get("mailbridge", (None,))[0] and rate.get("baseline", (None,))[0]:
        x = rate["mailbridge"][0] / rate["baseline"][0]
    if rate.get("mailbridge", (None,))[0] and rate.get("limit", (None,))[0]:
        y = rate["mailbridge"][0] / rate["limit"][0]
    k = rate["kafka"][0] / rate["mailbridge"][0] if rate.get("kafka", (None,))[0] and rate.get("mailbridge", (None,))[0] else None
    if k is not None:
        w("Kafka sink >= 0.8x file sink msg/s: " + verdict(k, lambda v: v >= 0.8))
    if idle.get(("mailbridge", "big")) and idle.get(("mailbridge", "small")):
        z = idle[("mailbridge", "big")] / idle[("mailbridge", "small")]
    if any_:
        w("Targets: backfill >= 5x baseline msg/s: " + verdict(x, lambda v: v >= 5)
          + "; >= 25% of limit: " + verdict(y, lambda v: v >= 0.25)
          + "; idle poll 100k within 2x of 1k: " + verdict(z, lambda v: v <= 2))
        w(f"backfill: mailbridge/baseline = {fmt(x)}; mailbridge/limit = {fmt(y)}; idle-poll 100k/1k = {fmt(z)}")


def verdict(v, ok):
    return "n/a" if v is None else ("MET" if ok(v) else "MISSED") + f" ({v:.2f})"


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd_name", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--maildir", required=True)
    g.add_argument("--n", type=int, required=True)
    g.add_argument("--profile", default="mixed", choices=["mixed", "small"])
    g.add_argument("--seed", type=int, default=42)
    g.add_argument("--manifest", required=True)
    wa = sub.add_parser("warm")
    wa.add_argument("--port", type=int, required=True)
    wa.add_argument("--n", type=int, default=0)
    wa.add_argument("--user", default="alice")
    wa.add_argument("--password", default="secret")
    m = sub.add_parser("measure")
    m.add_argument("--name", required=True)
    m.add_argument("--n", type=int, required=True)
    m.add_argument("--count-dir", required=True)
    m.add_argument("--marker", required=True)
    m.add_argument("--log", required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--cwd", default=None)
    m.add_argument("--timeout", type=float, default=1800)
    m.add_argument("--pidfile", default=None)
    m.add_argument("--set", action="append", default=[], help="key=value copied into the result")
    m.add_argument("cmd", nargs=argparse.REMAINDER)
    ru = sub.add_parser("run")
    ru.add_argument("--name", required=True)
    ru.add_argument("--log", required=True)
    ru.add_argument("--count-dir", default=None, help="records here count as progress too")
    ru.add_argument("--out", default=None)
    ru.add_argument("--cwd", default=None)
    ru.add_argument("--timeout", type=float, default=1800)
    ru.add_argument("--pidfile", default=None)
    ru.add_argument("cmd", nargs=argparse.REMAINDER)
    li = sub.add_parser("limit")
    li.add_argument("--port", type=int, required=True)
    li.add_argument("--n", type=int, required=True)
    li.add_argument("--manifest", required=True)
    li.add_argument("--out", required=True)
    li.add_argument("--user", default="alice")
    li.add_argument("--password", default="secret")
    r = sub.add_parser("report")
    r.add_argument("--dir", required=True)
    a = ap.parse_args()
    {"gen": cmd_gen, "warm": cmd_warm, "measure": cmd_measure, "run": cmd_run, "limit": cmd_limit,
     "report": cmd_report}[a.cmd_name](a)


if __name__ == "__main__":
    main()
