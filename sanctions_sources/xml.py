"""Hardened, streaming XML reading shared by the XML sources."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from sanctions_sources.base import ListFormatError


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def iter_records(
    source: str, path: Path, root_tag: str, record_tags: frozenset[str]
) -> Iterator[tuple[Element, Element]]:
    """Yield ``(root, record)`` for each complete record element, in document order.

    DTDs, entities and external references are refused (defusedxml); a truncated or
    malformed file raises :class:`ListFormatError` with the line and column. Each
    record is cleared after the caller has used it, so memory stays flat.
    """
    root: Element | None = None
    try:
        for event, element in iterparse(
            str(path), events=("start", "end"), forbid_dtd=True, forbid_entities=True
        ):
            if root is None:
                root = element
                if root.tag != root_tag:
                    raise ListFormatError(
                        source, path, f"root element is <{root.tag}>, expected <{root_tag}>"
                    )
            elif event == "end" and element.tag in record_tags:
                yield root, element
                element.clear()
    except ParseError as error:
        raise ListFormatError(source, path, f"malformed XML ({error})") from error
    except DefusedXmlException as error:
        raise ListFormatError(source, path, f"forbidden XML construct ({error})") from error
    if root is None:
        raise ListFormatError(source, path, "the file is empty")


def text(element: Element | None) -> str | None:
    """Stripped text of an element, or None when absent or blank."""
    if element is None or element.text is None:
        return None
    value = element.text.strip()
    return value or None


def texts(element: Element, path: str) -> tuple[str, ...]:
    """The non-blank stripped texts of every element at ``path``."""
    return tuple(value for node in element.findall(path) if (value := text(node)))


def sniff_root(head: bytes, root_names: tuple[bytes, ...]) -> bool:
    """Whether the first bytes of a body look like an XML document with that root."""
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not sample.startswith(b"<"):
        return False
    return any(b"<" + name in sample for name in root_names)
