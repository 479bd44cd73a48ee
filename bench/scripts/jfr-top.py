#!/usr/bin/env python3
"""Aggregates the jdk.ExecutionSample events of a JFR recording: samples per thread group, top frames (self time)
and top frames anywhere on the stack (total time). Usage: jfr-top.py recording.jfr [N]"""
import collections, re, subprocess, sys

jfr, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", jfr],
                     capture_output=True, text=True, check=True).stdout
threads, self_t, total_t, by_thread_top = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
n = 0
for event in out.split("jdk.ExecutionSample")[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', event)
    thread = re.sub(r'[-#]?\d+$', '', m.group(1)) if m else "?"
    frames = re.findall(r'^\s+([\w$.<>/]+\.[\w$<>]+)\(', event, re.M)
    if not frames:
        continue
    n += 1
    threads[thread] += 1
    self_t[frames[0]] += 1
    for f in set(frames):
        total_t[f] += 1
print(f"{n} samples")
print("\n== samples by thread ==")
for t, c in threads.most_common(12):
    print(f"{100.0 * c / n:6.1f}%  {t}")
print(f"\n== top {top} frames, self ==")
for f, c in self_t.most_common(top):
    print(f"{100.0 * c / n:6.1f}%  {f}")
print(f"\n== top {top} frames, total (on the stack) ==")
for f, c in total_t.most_common(top):
    print(f"{100.0 * c / n:6.1f}%  {f}")

# Threads inside native code (SQLite, socket writes) are not in jdk.ExecutionSample; jdk.NativeMethodSample has them,
# together with idle waits, which are left out here.
IDLE = ("epollWait", "epollBusyWait", "accept", "socketAccept", "poll", "waitForProcessExit", "readBytes", "sleep", "park")
nat = subprocess.run(["jfr", "print", "--events", "jdk.NativeMethodSample", "--stack-depth", "12", jfr],
                     capture_output=True, text=True, check=True).stdout
busy, busy_threads, busy_callers = collections.Counter(), collections.Counter(), collections.Counter()
for event in nat.split("jdk.NativeMethodSample")[1:]:
    frames = re.findall(r'^\s+([\w$.<>/]+\.[\w$<>]+)\(', event, re.M)
    if not frames or frames[0].rsplit(".", 1)[-1].rstrip("0") in IDLE or any(frames[0].endswith(i) for i in IDLE):
        continue
    m = re.search(r'sampledThread = "([^"]*)"', event)
    busy[frames[0]] += 1
    busy_threads[re.sub(r'[-#]?\d+$', '', m.group(1)) if m else "?"] += 1
    caller = next((f for f in frames[1:] if f.startswith("dev.parley")), None)
    if caller:
        busy_callers[frames[0].rsplit(".", 1)[-1] + " <- " + caller] += 1
total_native = sum(busy.values())
print(f"\n== busy native samples: {total_native} (idle waits left out) ==")
for t, c in busy_threads.most_common(6):
    print(f"{c:6d}  {t}")
for f, c in busy.most_common(top):
    print(f"{c:6d}  {f}")
print("\n== busy native samples by Parley caller ==")
for f, c in busy_callers.most_common(top):
    print(f"{c:6d}  {f}")

# Where the server's busy time goes, by component. Java samples (2 ms) and busy native samples (5 ms) are put on
# one scale by weighting each sample by its period; the first rule that matches a stack (top frame first) wins.
RULES = [
    ("startup and shutdown (main thread, closing the SQLite pool)", lambda f: "MainThread.marker" in f or any("quietlyCloseConnection" in x or "HikariPool.shutdown" in x for x in f)),
    ("SQLite WAL checkpoint (background thread, fsyncs)", lambda f: any("WalCheckpointer" in x for x in f)),
    ("SQLite native: commit (WAL write + fsync)", lambda f: f[0].startswith("org.sqlite.core.NativeDB") and any("GroupCommitWriter.commit" in x for x in f[:8]) and not any("runInSavepoint" in x for x in f[:8])),
    ("SQLite native: statements", lambda f: f[0].startswith("org.sqlite.core.NativeDB")),
    ("store Java (JDBC, SqliteWrites, writer loop)", lambda f: any(x.startswith(("org.sqlite", "dev.parley.server.store")) for x in f)),
    ("socket write syscalls", lambda f: f[0].endswith(("Socket.sendAddress", "Socket.writeAddress", "Socket.writevAddresses", "Socket.sendAddresses"))),
    ("socket read syscalls", lambda f: f[0].endswith(("Socket.recvAddress", "Socket.readAddress"))),
    ("JSON encode (FrameCodec.encode*)", lambda f: any("FrameCodec.encode" in x or "SharedFrame.bytes" in x for x in f)),
    ("JSON decode (FrameCodec.decode*)", lambda f: any("FrameCodec.decode" in x for x in f)),
    ("JWT verify", lambda f: any("nimbusds" in x for x in f)),
    ("WebSocket framing and UTF-8 checks", lambda f: any("websocketx" in x for x in f)),
    ("cross-thread hand-off (tasks, wakeups, futures)", lambda f: any(x.endswith(("eventFdWrite", "EpollIoHandler.wakeup", "WriteTask.run", "runAllTasks")) or "CompletableFuture" in x for x in f[:6])),
    ("Netty pipeline and buffers", lambda f: f[0].startswith("io.netty")),
    ("session / routing / bus", lambda f: any(x.startswith("dev.parley.server") for x in f)),
    ("JVM, JFR and other", lambda f: True),
]
cats, cat_threads = collections.Counter(), collections.defaultdict(collections.Counter)


def classify(events, weight, skip_idle):
    for event in events:
        frames = re.findall(r'^\s+([\w$.<>/]+\.[\w$<>]+)\(', event, re.M)
        if "parley-sqlite-checkpointer" in event:
            frames = frames + ["WalCheckpointer.thread"]
        if 'sampledThread = "main"' in event:
            frames = frames + ["MainThread.marker"]
        if not frames or (skip_idle and any(frames[0].endswith(i) or frames[0].rsplit(".", 1)[-1].rstrip("0") == i for i in IDLE)):
            continue
        m = re.search(r'sampledThread = "([^"]*)"', event)
        thread = re.sub(r'[-#]?\d+$', '', m.group(1)) if m else "?"
        for name, rule in RULES:
            if rule(frames):
                cats[name] += weight
                cat_threads[name][thread] += weight
                break


deep = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", jfr],
                      capture_output=True, text=True, check=True).stdout
classify(deep.split("jdk.ExecutionSample")[1:], 2, False)
nat_deep = subprocess.run(["jfr", "print", "--events", "jdk.NativeMethodSample", "--stack-depth", "64", jfr],
                          capture_output=True, text=True, check=True).stdout
classify(nat_deep.split("jdk.NativeMethodSample")[1:], 5, True)
STARTUP = "startup and shutdown (main thread, closing the SQLite pool)"
all_w = sum(w for name, w in cats.items() if name != STARTUP)
print(f"\n== busy time by component, startup and shutdown left out "
      f"(Java samples x2 ms + busy native samples x5 ms = {all_w / 1000:.1f} s sampled) ==")
if cats[STARTUP]:
    print(f"        (left out: {cats[STARTUP] / 1000:.1f} s of {STARTUP})")
for name, w in cats.most_common():
    if name == STARTUP:
        continue
    threads_of = ", ".join(f"{t} {100.0 * c / w:.0f}%" for t, c in cat_threads[name].most_common(2))
    print(f"{100.0 * w / all_w:6.1f}%  {name}   ({threads_of})")
