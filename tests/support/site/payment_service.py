#!/usr/bin/env python3
"""A stand-in payment adapter for central's refund tests: a separate process speaking HTTP.

POST <any path> with a JSON refund request and an Idempotency-Key header:
  - the first --fail N requests to /refunds… answer 503 (a payment provider having a bad minute);
  - the first --slow N refunds to /refunds… are paid but answered only after --delay-ms (an answer
    the client gives up on: it must send the same key again, and is not paid twice);
  - a request whose refund_id is listed in --reject answers 422 {"error": "<reason>"};
  - otherwise 201 {"payment_ref": "PAY-<n>", "refund_id": …, "amount_cents": …}; a key seen
    before answers 200 with the same body and pays nothing again.
Every request is appended to <dir>/requests.jsonl ({"key", "status", "body"}) and every refund
actually paid to <dir>/refunds.jsonl, so a test can count double payments. The bound port is
written to <dir>/port once listening. State (paid keys, failures left) survives a restart of this
process through <dir>/state.json.
"""
import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import service_port  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail", type=int, default=0, help="answer 503 to the first N requests")
    parser.add_argument("--slow", type=int, default=0,
                        help="pay the first N refunds but answer only after --delay-ms (a lost answer)")
    parser.add_argument("--delay-ms", type=int, default=3000)
    parser.add_argument("--reject", action="append", default=[], help="refund_id=reason: answer 422")
    args = parser.parse_args()

    lock = threading.Lock()
    state_path = os.path.join(args.dir, "state.json")
    state = {"paid": {}, "failures_left": args.fail, "slow_left": args.slow, "count": 0}
    if os.path.exists(state_path):
        with open(state_path) as f:
            state = json.load(f)
    rejects = dict(item.split("=", 1) for item in args.reject)

    def append(name, record):
        with open(os.path.join(args.dir, name), "a") as f:
            f.write(json.dumps(record) + "\n")

    def save():
        tmp = state_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(state, f)
        os.replace(tmp, state_path)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            key = self.headers.get("Idempotency-Key", "")
            slow = False
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            with lock:
                if not key or not isinstance(body, dict):
                    status, answer = 400, {"error": "need an Idempotency-Key header and a JSON object"}
                elif state["failures_left"] > 0 and self.path.startswith("/refunds"):
                    state["failures_left"] -= 1
                    status, answer = 503, {"error": "payment provider unavailable"}
                elif body.get("refund_id") in rejects:
                    status, answer = 422, {"error": rejects[body["refund_id"]]}
                elif key in state["paid"]:
                    status, answer = 200, state["paid"][key]
                else:
                    state["count"] += 1
                    answer = {"payment_ref": "PAY-%d" % state["count"], "refund_id": body.get("refund_id"),
                              "amount_cents": body.get("amount_cents")}
                    state["paid"][key] = answer
                    append("refunds.jsonl", {"key": key, "path": self.path, "body": body})
                    status = 201
                    if state["slow_left"] > 0 and self.path.startswith("/refunds"):
                        state["slow_left"] -= 1
                        slow = True
                save()
                append("requests.jsonl", {"key": key, "status": status, "path": self.path, "body": body})
            if slow:
                threading.Event().wait(args.delay_ms / 1000.0)
            try:
                self.answer(status, answer)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting: the refund is paid all the same

    return service_port.serve(ThreadingHTTPServer(("127.0.0.1", args.port), Handler), args.dir)


if __name__ == "__main__":
    sys.exit(main())
