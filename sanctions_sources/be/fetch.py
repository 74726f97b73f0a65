"""The Belgian national list has no download address this project could confirm: set
``KYC_LIST_URLS='{"be": "https://…"}'`` or use a local directory (``be*.csv``)."""

from __future__ import annotations

DEFAULT_URL = ""
LOCAL_GLOB = "be*.csv"
