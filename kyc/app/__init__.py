"""The application layer: one use case per function, each in its own transaction, what
every front door calls (the ``kyc`` command, the Prefect flows).

A use case takes a :class:`~kyc.app.runtime.Runtime` (settings, engine, clock) and plain
arguments (paths, ids), so a flow task and its command-line twin call the same code.
One module per area; each loads only the domain code of its area, so a command starts
without the rest.
"""
