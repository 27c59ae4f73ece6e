"""The OPA REST calls the engine makes, through opa-python-client; every failure an EngineError.

Calls: ``GET/PUT/DELETE /v1/policies/<id>`` (push the pack), ``PUT /v1/data/governance/config``
and ``.../params`` (its data), ``POST /v1/data/governance_entry/results[/<ID>]`` (evaluate).
Each error names the server URL and what was being done; evaluation errors keep OPA's own
message (which names the module and row) so the author can find the failing rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlsplit

from governance.errors import EngineError, UsageError, Where
from governance.evaluate.rego.evaluator import BackendDown, QueryError

if TYPE_CHECKING:
    from opa_client import OpaClient

NAMESPACE = "governance"
"""Prefix of the policy ids this tool pushes: ids under it belong to the tool (stale ones go)."""

T = TypeVar("T")


def _client_errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """(the server answered with an error, the request itself failed)."""
    import requests
    from opa_client import errors

    answered = (
        requests.HTTPError,
        errors.RegoParseError,
        errors.PolicyNotFoundError,
        errors.DeletePolicyError,
        errors.QueryExecuteError,
        errors.TypeException,
    )
    return answered, (requests.RequestException, errors.ConnectionsError)


def _describe(exc: Exception) -> str:
    """OPA's message when the response carried one, else the client's."""
    response = getattr(exc, "response", None)
    if response is not None:
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("message"):
            details = [
                str(e.get("message")) + (f" ({e['location']})" if e.get("location") else "")
                for e in body.get("errors") or []
                if isinstance(e, dict)
            ]
            head = f"HTTP {response.status_code} {body.get('code', '')}: {body['message']}"
            return "; ".join([head, *details])
        return f"HTTP {response.status_code}: {response.text[:300]}"
    message = getattr(exc, "message", None)
    errors = getattr(exc, "errors", None)
    text = str(message) if message else (str(exc) or type(exc).__name__)
    if isinstance(errors, list) and errors:
        text += ": " + "; ".join(
            str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors
        )
    return text


SETUP_TIMEOUT = 60.0
"""Seconds allowed for pushing a module or data: a server compiles the whole pack on each PUT,
which takes far longer than one query, and a slow setup is not a slow policy."""


class OpaTransport:
    """One OPA server. ``timeout`` bounds every query (seconds); setup requests get at least
    ``SETUP_TIMEOUT``."""

    def __init__(self, url: str, *, timeout: float, token: str | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"--opa-url must be http(s)://host[:port], got '{url}'")
        if parts.path not in ("", "/"):
            raise UsageError(f"--opa-url must not have a path (the client adds /v1), got '{url}'")
        from opa_client import OpaClient

        self.url = url.rstrip("/")

        def client(seconds: float) -> OpaClient:
            return OpaClient(
                host=parts.hostname,
                port=parts.port or (443 if parts.scheme == "https" else 8181),
                ssl=parts.scheme == "https",
                token=token,
                timeout=seconds,
                retries=1,
            )

        self.client = client(max(timeout, SETUP_TIMEOUT))
        self.queries = client(timeout)
        self._answered, self._failed = _client_errors()

    def close(self) -> None:
        self.client.close_connection()
        self.queries.close_connection()

    def _call(self, doing: str, action: Callable[[], T]) -> T:
        message = f"OPA server {self.url}: {doing}"
        try:
            return action()
        except self._answered as exc:
            raise QueryError(f"{message}: {_describe(exc)}", Where(source=self.url)) from exc
        except self._failed as exc:
            raise BackendDown(f"{message}: {_describe(exc)}", Where(source=self.url)) from exc

    # -- pushing the pack ------------------------------------------------------------------

    def push(self, modules: Sequence[tuple[str, str]], data: dict[str, dict[str, Any]]) -> None:
        """Replace this tool's policies on the server by ``modules`` (id, source); write ``data``.

        Modules may call functions of modules not yet pushed, and stale modules may be needed by
        other stale ones until those go: both are retried until nothing more succeeds.
        """
        wanted = {module_id for module_id, _ in modules}
        existing = self._call("listing policies", self.client.get_policies_list)
        stale = [p for p in existing if p.startswith(NAMESPACE + "/") and p not in wanted]
        sources = dict(modules)

        def delete(pid: str) -> object:
            return self.client.delete_policy(quote(pid))

        def put(pid: str) -> object:
            return self.client.update_policy_from_string(
                sources[pid], quote(pid), rego_compat=False
            )

        self._converge("deleting stale policy", stale, delete)
        self._converge("pushing policy", [module_id for module_id, _ in modules], put)
        for key, value in data.items():

            def write(k: str = key, v: dict[str, Any] = value) -> object:
                return self.client.update_or_create_data(v, f"{NAMESPACE}/{k}")

            self._call(f"writing data.{NAMESPACE}.{key}", write)

    def _converge(self, doing: str, ids: Sequence[str], action: Callable[[str], object]) -> None:
        pending = list(ids)
        while pending:
            failed: list[tuple[str, EngineError]] = []
            for pid in pending:

                def attempt(p: str = pid) -> object:
                    return action(p)

                try:
                    self._call(f"{doing} {pid}", attempt)
                except QueryError as exc:
                    failed.append((pid, exc))
            if len(failed) == len(pending):
                raise failed[0][1]
            pending = [pid for pid, _ in failed]

    # -- evaluating ------------------------------------------------------------------------

    def query(self, path: str, input_document: dict[str, Any]) -> tuple[bool, Any]:
        """POST /v1/data/<path>: (defined, value)."""
        package, _, rule = path.rpartition("/")
        body: dict[str, Any] = self._call(
            f"querying data/{path}",
            lambda: self.queries.query_rule(input_document, package, quote(rule)),
        )
        if not isinstance(body, dict):
            raise EngineError(
                f"OPA server {self.url}: data/{path}: unexpected response {str(body)[:200]}",
                Where(source=self.url),
            )
        return ("result" in body, body.get("result"))
