"""``kyc serve``: the review app on the configured database."""

from __future__ import annotations

from typing import Annotated

import typer

from kyc.cli.common import out, with_runtime

serve_app = typer.Typer()


@serve_app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Start the review app (sign in with an account of `kyc users`). Behind a reverse
    proxy that terminates https, set KYC_WEB_HTTPS=true."""
    import uvicorn

    from kyc.app.runtime import Runtime
    from kyc.web.app import create_app

    def run(runtime: Runtime) -> None:
        app = create_app(runtime)
        out.print(f"review app on http://{host}:{port}/ (Ctrl-C stops it)")
        # Trusts X-Forwarded-* from a proxy on this machine only.
        uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="warning",
                    forwarded_allow_ips="127.0.0.1")  # fmt: skip

    with_runtime(run)
