"""The smoke test's mail relay: accepts every message over plain SMTP and appends it to a file
(standard library only; Python 3.12 dropped smtpd). Usage: mail_sink.py PORT FILE"""

import socketserver
import sys

PORT, OUTBOX = int(sys.argv[1]), sys.argv[2]


class Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 smoke mail sink")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ")[0].upper()
            if verb == "EHLO":
                self.reply("250-smoke\r\n250 8BITMIME")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                message = []
                while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    message.append(data)
                with open(OUTBOX, "ab") as outbox:
                    outbox.write(b"".join(message) + b"\n--- end of message ---\n")
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


with Server(("127.0.0.1", PORT), Session) as server:
    server.serve_forever()
