"""Where the UN list is published, and how a local copy is recognised."""

from __future__ import annotations

DEFAULT_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
# In a local directory (offline installs, tests) the file's name starts with "un".
LOCAL_GLOB = "un*.xml"
