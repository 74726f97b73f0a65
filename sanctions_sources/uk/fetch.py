"""Where the UK Sanctions List is published, and how a local copy is recognised."""

from __future__ import annotations

DEFAULT_URL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"
LOCAL_GLOB = "uk*.xml"
