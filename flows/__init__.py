"""Prefect flows: the only code that imports prefect. Each flow calls use cases of kyc.app,
which its command-line twin calls too."""
