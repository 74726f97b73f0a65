"""The review app: pages for analysts, approvers and auditors (FastAPI, Jinja2
templates with autoescape, a stylesheet shipped in the package, no script).

Thin over the application layer: a route reads the request, checks the role, calls
one use case of :mod:`kyc.app` and renders a template."""
