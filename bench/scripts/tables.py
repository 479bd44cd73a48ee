#!/usr/bin/env python3
"""Markdown tables from a run-all.sh results dir: tables.py DIR"""
import json, os, sys

d = sys.argv[1]


def load(name):
    p = os.path.join(d, name + ".json")
    return json.load(open(p)) if os.path.exists(p) else None


def lat(m):
    return f"{m['p50_ms']:.2f} / {m['p90_ms']:.2f} / {m['p99_ms']:.2f} / {m['p99_9_ms']:.2f} / {m['max_ms']:.2f}"


def cpu(c):
    us = c.get("server_cpu_us_per_message")
    g = c.get("generator_cpu_us_per_message")
    return (f"{us if us is not None else '-'} | {c['server_cores_used']:.2f} | {g if g is not None else '-'} | "
            f"{c['generator_cores_used']:.2f} | {c['other_cores_used']:.2f}")


for name in ("pairs-5000", "pairs-5000-normal", "pairs-jfr"):
    r = load(name)
    if not r:
        continue
    print(f"\n**{name}** ({r['config']['pairs']} conversations, {r['rate_target']:.0f} msgs/s target, "
          f"{r['config']['durationSeconds']:.0f} s, {r['rate_sent']} sent/s)\n")
    print("| latency from intended send | p50 / p90 / p99 / p99.9 / max (ms) |\n|---|---|")
    print(f"| send -> ack | {lat(r['send_to_ack'])} |")
    print(f"| send -> recipient message:new | {lat(r['send_to_recipient'])} |")
    print(f"| send -> sender message:delivered | {lat(r['send_to_delivered_receipt'])} |")
    print(f"\nacked {r['acked']}, received {r['received']}, receipts {r['receipts']}; lost {r['lost']} "
          f"(unacked {r['unacked']}, not received {r['not_received']}, no receipt {r['no_receipt']}), "
          f"duplicated {r['duplicated']}, out-of-order {r['out_of_order']}, errors {r['errors']}, settled {r['settled']}")
    print("\n| server µs/durable msg | server cores | generator µs/msg | generator cores | other cores |\n|---|---|---|---|---|")
    print(f"| {cpu(r['cpu'])} |")

r = load("pairs-find-max")
if r:
    print(f"\n**pairs --find-max** (highest rate that held: {r['max_rate_held']:.0f} msgs/s)\n")
    print("| rate | sent/s | held | p99 ack | p99 new | p99 receipt | lost | errors | server µs/msg | server cores | generator cores | other cores |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for s in r["steps"]:
        c = s["cpu"]
        print(f"| {s['rate_target']:.0f} | {s['rate_sent']} | {'yes' if s['held'] else 'NO'} | {s['send_to_ack']['p99_ms']:.1f} | "
              f"{s['send_to_recipient']['p99_ms']:.1f} | {s['send_to_delivered_receipt']['p99_ms']:.1f} | {s['lost']} | "
              f"{s['errors']} | {c['server_cpu_us_per_message']} | {c['server_cores_used']:.2f} | "
              f"{c['generator_cores_used']:.2f} | {c['other_cores_used']:.2f} |")

r = load("fanout")
if r:
    c = r["config"]
    print(f"\n**fanout** ({c['members']} members, {c['senders']} senders, {c['rate']:.0f} msgs/s, {c['durationSeconds']:.0f} s)\n")
    print("| | p50 / p90 / p99 / p99.9 / max (ms) |\n|---|---|")
    print(f"| send -> ack | {lat(r['send_to_ack'])} |")
    print(f"| send -> each recipient | {lat(r['send_to_each_recipient'])} |")
    print(f"| send -> last recipient | {lat(r['send_to_last_recipient'])} |")
    print(f"\n{r['deliveries_per_s']} deliveries/s; lost {r['lost']}, duplicated {r['duplicated']}, out-of-order {r['out_of_order']}; "
          f"server {r['server_cpu_us_per_delivery']} µs per delivery")
    print("\n| server µs/durable msg | server cores | generator µs/msg | generator cores | other cores |\n|---|---|---|---|---|")
    print(f"| {cpu(r['cpu'])} |")

r = load("connections")
if r:
    b, a = r["memory_before"], r["memory_after"]
    print(f"\n**connections** ({r['config']['connections']} connections, {r['conversations']} conversations)\n")
    print("| connects/s | heap/conn (after full GC) | RSS growth/conn | heap before -> after | RSS before -> after | pongs | dropped |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {r['connects_per_s']} | {r['heap_bytes_per_connection']} B | {r['rss_bytes_per_connection']} B | "
          f"{b['heap_used_bytes']/1e6:.1f} -> {a['heap_used_bytes']/1e6:.1f} MB | {b['rss_bytes']/1e6:.1f} -> {a['rss_bytes']/1e6:.1f} MB | "
          f"{r['pongs']} | {r['dropped']} |")
    print(f"\nconnect phases p50/p99: tcp {r['tcp_connect']['p50_ms']}/{r['tcp_connect']['p99_ms']} ms, "
          f"upgrade {r['websocket_upgrade']['p50_ms']}/{r['websocket_upgrade']['p99_ms']} ms, "
          f"auth+subscribe {r['auth_and_subscribe']['p50_ms']}/{r['auth_and_subscribe']['p99_ms']} ms")

r = load("storm-10000")
if r:
    print(f"\n**storm** ({r['config']['clients']} clients, {r['mode']})\n")
    print("| server down | all back (from cut) | all caught up (from cut) | caught up after server back | connect attempts | lost | duplicated | out-of-order |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {r['server_down_s']:.2f} s ({r.get('server_restart', '')}) | {r['all_back_s']:.2f} s | {r['all_caught_up_s']:.2f} s | "
          f"{r['all_caught_up_after_server_back_s']:.2f} s | {r['connect_attempts']} (max {r['max_attempts_of_one_client']}) | "
          f"{r['lost']} | {r['duplicated']} | {r['out_of_order']} |")
    print(f"\nback from cut p50/p90/p99: {r['back_from_cut']['p50_ms']/1000:.2f} / {r['back_from_cut']['p90_ms']/1000:.2f} / "
          f"{r['back_from_cut']['p99_ms']/1000:.2f} s; server CPU after restart {r['cpu']['server_cpu_s']} s "
          f"({r['cpu']['server_cpu_us_per_message']} µs per message of the storm), generator {r['cpu']['generator_cpu_s']} s, "
          f"other {r['cpu']['other_cores_used']} cores")
