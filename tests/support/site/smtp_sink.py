#!/usr/bin/env python3
"""A minimal SMTP server for tests (RFC 5321 subset): EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET,
NOOP, QUIT. Each accepted message is stored as <dir>/NNNN.eml, preceded by X-Envelope-From and
X-Envelope-To lines, with the transparency dots removed (RFC 5321 §4.5.2). The bound port is
written to <dir>/port once listening. --fail N answers 451 to the first N DATA commands (a relay
that is busy), to test retries.
"""
import argparse
import os
import socketserver
import sys
import threading

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import service_port  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail", type=int, default=0)
    args = parser.parse_args()
    lock = threading.Lock()
    counter = {"n": len([f for f in os.listdir(args.dir) if f.endswith(".eml")]), "fail": args.fail}

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line):
            self.wfile.write((line + "\r\n").encode())
            self.wfile.flush()

        def handle(self):
            self.reply("220 retour-test-sink ESMTP")
            sender, recipients = None, []
            while True:
                raw = self.rfile.readline()
                if not raw:
                    return
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                verb = line[:4].upper()
                if verb in ("EHLO", "HELO"):
                    if verb == "EHLO":
                        self.reply("250-retour-test-sink")
                        self.reply("250 8BITMIME")
                    else:
                        self.reply("250 retour-test-sink")
                elif line.upper().startswith("MAIL FROM:"):
                    sender, recipients = line[10:].strip().split(" ")[0], []
                    self.reply("250 OK")
                elif line.upper().startswith("RCPT TO:"):
                    if sender is None:
                        self.reply("503 MAIL first")
                        continue
                    recipients.append(line[8:].strip())
                    self.reply("250 OK")
                elif verb == "DATA":
                    if not recipients:
                        self.reply("503 RCPT first")
                        continue
                    with lock:
                        busy = counter["fail"] > 0
                        if busy:
                            counter["fail"] -= 1
                    if busy:
                        self.reply("451 try again later")
                        continue
                    self.reply("354 end with <CRLF>.<CRLF>")
                    lines = []
                    while True:
                        data = self.rfile.readline()
                        if not data:
                            return
                        if data in (b".\r\n", b".\n"):
                            break
                        if data.startswith(b".."):
                            data = data[1:]
                        lines.append(data)
                    with lock:
                        counter["n"] += 1
                        path = os.path.join(args.dir, "%04d.eml" % counter["n"])
                        with open(path + ".tmp", "wb") as f:
                            f.write(("X-Envelope-From: %s\r\n" % sender).encode())
                            f.write(("X-Envelope-To: %s\r\n" % ",".join(recipients)).encode())
                            f.write(b"".join(lines))
                        os.replace(path + ".tmp", path)
                    sender, recipients = None, []
                    self.reply("250 OK queued")
                elif verb == "RSET":
                    sender, recipients = None, []
                    self.reply("250 OK")
                elif verb == "NOOP":
                    self.reply("250 OK")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("502 command not implemented")

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    return service_port.serve(Server(("127.0.0.1", args.port), Handler), args.dir)


if __name__ == "__main__":
    sys.exit(main())
