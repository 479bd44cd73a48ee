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
