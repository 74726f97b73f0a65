"""A DNS server on 127.0.0.1 that answers NAPTR questions from a table (UDP, real wire format)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dns.message
import dns.name
import dns.rcode
import dns.rrset


class LocalDns:
    """``records`` maps a lowercase name to the text of its NAPTR records; any other name
    is NXDOMAIN. ``silent`` drops every question (a server that never answers)."""

    def __init__(self, records: dict[str, list[str]], *, silent: bool = False) -> None:
        self.records = records
        self.silent = silent
        self.questions: list[str] = []
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def address(self) -> str:
        host, port = self._socket.getsockname()
        return f"{host}:{port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._socket.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            name = query.question[0].name
            self.questions.append(name.to_text(omit_final_dot=True).lower())
            if not self.silent:
                self._socket.sendto(self._answer(query, name).to_wire(), peer)

    def _answer(self, query: dns.message.Message, name: dns.name.Name) -> dns.message.Message:
        response = dns.message.make_response(query)
        texts = self.records.get(name.to_text(omit_final_dot=True).lower())
        if texts is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        else:
            response.answer.append(dns.rrset.from_text_list(name, 60, "IN", "NAPTR", texts))
        return response

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()


@contextmanager
def local_dns(records: dict[str, list[str]], *, silent: bool = False) -> Iterator[LocalDns]:
    server = LocalDns(records, silent=silent)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def smp_record(uri: str, service: str = "Meta:SMP") -> str:
    """A U-NAPTR record as the Peppol SML publishes it."""
    return f'100 10 "U" "{service}" "!^.*$!{uri}!" .'
