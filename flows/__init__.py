"""Prefect flows: the only code that imports prefect. Each flow calls one job of kyc.jobs,
which its command-line twin calls too."""
