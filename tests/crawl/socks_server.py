"""A minimal SOCKS5 proxy on 127.0.0.1 for client tests: no authentication, CONNECT only, relays bytes
and records the destinations asked for (a name when the client lets the proxy resolve, else an address)."""

from __future__ import annotations

import ipaddress
import socket
import socketserver
import struct
import threading


class SocksProxy:
    """``hosts`` names the proxy resolves itself (to 127.0.0.1), as a proxy inside a network would."""

    def __init__(self, hosts: tuple[str, ...] = ()) -> None:
        self.destinations: list[tuple[str, int]] = []
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                client: socket.socket = self.request
                version, methods = client.recv(2)
                client.recv(methods)
                client.sendall(b"\x05\x00")  # SOCKS5, no authentication
                _version, command, _reserved, kind = client.recv(4)
                if kind == 3:  # a domain name: the proxy resolves it
                    host = client.recv(client.recv(1)[0]).decode("ascii")
                else:
                    host = str(ipaddress.ip_address(client.recv(4 if kind == 1 else 16)))
                (port,) = struct.unpack("!H", client.recv(2))
                proxy.destinations.append((host, port))
                if version != 5 or command != 1:
                    client.sendall(b"\x05\x07\x00\x01" + bytes(6))
                    return
                address = "127.0.0.1" if host in hosts else host
                upstream = socket.create_connection((address, port), timeout=5)
                client.sendall(b"\x05\x00\x00\x01" + bytes(6))
                _relay(client, upstream)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"socks5h://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> SocksProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _relay(client: socket.socket, upstream: socket.socket) -> None:
    def pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()

    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    pump(client, upstream)
    back.join(timeout=5)
