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
