#!/usr/bin/env python3
"""The webhook edge under 1,000 unauthenticated slow or oversized connections (127.0.0.1 only).

Keeps --clients connections open against a running `opsdesk run --http 127.0.0.1:PORT`, a third of each
kind, reopening any the server closes:
  slowloris   request headers, one byte every 2 s, never finished;
  oversized   `Content-Length: 10 GB` with no credential, then nothing;
  slow body   a signed route (/hooks/stripe) with a 500 KB body sent 100 bytes a second.
Meanwhile one client posts a valid Alertmanager webhook (with the bearer token) every 20 ms and times
each until its 202, and opsdesk's resident memory is read from /proc every half second.

    OPSDESK_ALERTS_TOKEN=t OPSDESK_STRIPE_SECRET=whsec_t opsdesk run --no-console --http 127.0.0.1:18080 &
    python3 benches/slow_clients.py --port 18080 --token t --pid $! --seconds 60
"""

import argparse
import http.client
import json
import selectors
import socket
import threading
import time

HOST = "127.0.0.1"  # never anything else


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def opener(kind, port):
    s = socket.create_connection((HOST, port))
    s.setblocking(False)
    if kind == "slowloris":
        s.send(b"POST /hooks/alertmanager HTTP/1.1\r\nHost: x\r\n")
    elif kind == "oversized":
        s.send(b"POST /hooks/alertmanager HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Content-Length: 10000000000\r\n\r\n")
    else:
        s.send(b"POST /hooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Stripe-Signature: t=1,v1=00\r\nContent-Length: 500000\r\n\r\n")
    return s


def attack(port, clients, stop, stats):
    sel = selectors.DefaultSelector()
    kinds = ["slowloris", "oversized", "slow body"]
    socks = {}

    def open_one(kind):
        try:
            s = opener(kind, port)
        except OSError:
            stats["refused"] += 1
            return
        socks[s] = kind
        sel.register(s, selectors.EVENT_READ)

    for i in range(clients):
        open_one(kinds[i % 3])
    last_drip = time.monotonic()
    while not stop.is_set():
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            status = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "closed"
            stats[f"{socks[s]}: {status}"] = stats.get(f"{socks[s]}: {status}", 0) + 1
            sel.unregister(s)
            kind = socks.pop(s)
            s.close()
            open_one(kind)
        now = time.monotonic()
        if now - last_drip >= 1.0:
            last_drip = now
            for s, kind in list(socks.items()):
                try:
                    if kind == "slowloris" and int(now) % 2 == 0:
                        s.send(b"X")
                    elif kind == "slow body":
                        s.send(b" " * 100)
                except OSError:
                    pass
        stats["open"] = len(socks)
    for s in socks:
        s.close()


def alert_body(i):
    return json.dumps({"version": "4", "status": "firing", "receiver": "opsdesk",
                       "groupKey": f'{{}}:{{alertname="Load{i % 50}"}}',
                       "groupLabels": {"alertname": f"Load{i % 50}"},
                       "commonLabels": {"alertname": f"Load{i % 50}", "severity": "warning"},
                       "commonAnnotations": {}, "externalURL": "http://127.0.0.1:9093",
                       "alerts": [{"status": "firing", "labels": {"alertname": f"Load{i % 50}"},
                                   "annotations": {"summary": f"load test {i}"}, "fingerprint": f"f{i % 50}",
                                   "startsAt": "2026-12-01T00:00:00Z"}]}).encode()


def valid_sender(port, token, stop, lat, codes):
    i = 0
    while not stop.is_set():
        t = time.monotonic()
        try:
            c = http.client.HTTPConnection(HOST, port, timeout=10)
            c.request("POST", "/hooks/alertmanager", alert_body(i),
                      {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            code = c.getresponse().status
            c.close()
        except OSError as e:
            code = type(e).__name__
        lat.append((time.monotonic() - t) * 1000)
        codes[code] = codes.get(code, 0) + 1
        i += 1
        time.sleep(max(0.0, 0.02 - (time.monotonic() - t)))


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--port", type=int, required=True)
    a.add_argument("--token", required=True)
    a.add_argument("--pid", type=int, required=True, help="opsdesk's process id, for its memory")
    a.add_argument("--clients", type=int, default=1000)
    a.add_argument("--seconds", type=int, default=60)
    o = a.parse_args()
    stop, stats, lat, codes, rss = threading.Event(), {"refused": 0}, [], {}, []
    rss.append(rss_kb(o.pid))
    threads = [threading.Thread(target=attack, args=(o.port, o.clients, stop, stats)),
               threading.Thread(target=valid_sender, args=(o.port, o.token, stop, lat, codes))]
    for t in threads:
        t.start()
    end = time.monotonic() + o.seconds
    while time.monotonic() < end:
        rss.append(rss_kb(o.pid))
        time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    time.sleep(1)
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))]
    print(f"slow/oversized connections kept open: {o.clients} (open at the end: {stats.pop('open', 0)})")
    print("what they got: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
    print(f"valid alerts: {len(lat)} sent, answers {codes}, "
          f"p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {lat[-1]:.1f} ms")
    print(f"opsdesk RSS: {rss[0] / 1024:.0f} MB before, {max(rss) / 1024:.0f} MB at most, "
          f"{rss_kb(o.pid) / 1024:.0f} MB after")


if __name__ == "__main__":
    main()
