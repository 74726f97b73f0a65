"""Where the EU list is published, and how a local copy is recognised."""

from __future__ import annotations

DEFAULT_URL = (
    "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
    "?token=dG9rZW4tMjAxNw"
)
# In a local directory (offline installs, tests) the file's name starts with "eu".
LOCAL_GLOB = "eu*.xml"
