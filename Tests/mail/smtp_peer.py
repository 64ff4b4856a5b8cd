#!/usr/bin/env python3
"""A real SMTP server for Petrel's e-mail tests (aiosmtpd from PyPI).

Listens on 127.0.0.1 on a free port, prints "PORT <n>" once ready, and writes every message it accepts
to OUTDIR as <n>.json: {"mail_from", "rcpt_tos", "auth_user", "tls", "data"}.

Usage: smtp_peer.py OUTDIR [--starttls CERT KEY] [--implicit-tls CERT KEY] [--auth USER PASSWORD]
"""
import argparse
import asyncio
import json
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Recorder:
    def __init__(self, outdir, implicit_tls):
        self.outdir = outdir
        self.implicit_tls = implicit_tls
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            # aiosmtpd fills session.ssl after STARTTLS; an implicit-TLS listener is TLS from the start.
            "tls": session.ssl is not None or self.implicit_tls,
            "data": envelope.content.decode("utf-8", "replace"),
        }
        with open(os.path.join(self.outdir, f"{self.count}.json"), "w") as f:
            json.dump(record, f)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"))
    args = parser.parse_args()

    kwargs = {}
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        kwargs.update(tls_context=context, require_starttls=True)
    if args.implicit_tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.implicit_tls)
        kwargs.update(ssl_context=context)
    if args.auth:
        user, password = args.auth

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        kwargs.update(authenticator=authenticator, auth_required=True,
                      # aiosmtpd counts only STARTTLS as TLS here; an implicit-TLS listener is TLS already.
                      auth_require_tls=bool(args.starttls))

    # A free port (aiosmtpd's controller checks its server by connecting to the port it was given).
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    controller = Controller(Recorder(args.outdir, bool(args.implicit_tls)), hostname="127.0.0.1", port=port, server_hostname="localhost",
                            **kwargs)
    controller.start()
    print(f"PORT {port}", flush=True)
    try:
        sys.stdin.read()  # until the test closes our stdin
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
