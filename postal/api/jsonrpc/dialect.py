"""The JSON-RPC 2.0 dialect of `POST /publicinterface/jsonrpc` (seed 002): authentication, parsing,
dispatch, error objects and HTTP statuses. Methods return plain data or raise; nothing else builds
a response body.

jsonrpcserver validates each call (members, types, `"jsonrpc": "2.0"`), binds params to the method's
signature and words the standard errors. Around it, this module accepts what the seed's examples send
(`text/json`, trailing commas, `"json_rpc"` for `"jsonrpc"`) and answers each element of a batch on its
own, as JSON-RPC 2.0 asks (jsonrpcserver would refuse a whole batch for one bad element).
"""

import inspect
import json
import logging
import time
from dataclasses import dataclass

import orjson
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from jsonrpcserver import Error, Success, dispatch_to_serializable
from rest_framework.exceptions import AuthenticationFailed

from accounts.actors import ActorPath, act_as_caller
from accounts.api.errors import RETRY_AFTER_SECONDS, describe
from accounts.api.parsers import LONE_SURROGATE, loads_lenient
from accounts.authentication import BearerApiKeyAuthentication
from accounts.credentials import Credential
from accounts.errors import Conflict, DomainError, IllegalTransition, NotFound, TooManyRequests
from accounts.ratelimit import count_request
from postal.polling import PollingAllowanceExceeded

log = logging.getLogger(__name__)

# The standard codes (JSON-RPC 2.0, section 5.1).
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
# Ours, in the range the specification reserves for implementation-defined server errors.
UNAUTHENTICATED = -32001
FORBIDDEN = -32003
NOT_FOUND = -32004
CONFLICT = -32009
NOT_ALLOWED_IN_STATUS = -32010
# Too many requests: a ref's polling allowance, or the API key's requests a minute (`data` tells which).
TOO_MANY_REQUESTS = -32029
UNAVAILABLE = -32050

# The HTTP status of a response that carries one error; a batch is always 200 (its calls may differ).
HTTP_STATUS = {
    PARSE_ERROR: 400,
    INVALID_REQUEST: 400,
    METHOD_NOT_FOUND: 404,
    INVALID_PARAMS: 400,
    INTERNAL_ERROR: 500,
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    CONFLICT: 409,
    NOT_ALLOWED_IN_STATUS: 409,
    TOO_MANY_REQUESTS: 429,
    UNAVAILABLE: 503,
}

# Domain errors by class (the most specific first); any other DomainError is a refusal of the params.
DOMAIN_CODES = (
    (PollingAllowanceExceeded, TOO_MANY_REQUESTS),
    (TooManyRequests, TOO_MANY_REQUESTS),
    (NotFound, NOT_FOUND),
    (Conflict, CONFLICT),
    (IllegalTransition, NOT_ALLOWED_IN_STATUS),
)
# accounts.api.errors kinds of failures that are not domain errors.
FAILURE_CODES = {"conflict": CONFLICT, "unavailable": UNAVAILABLE, "invalid": INVALID_PARAMS}

MEDIA_TYPES = {"application/json", "text/json", "application/json-rpc", "application/jsonrequest", ""}
MAX_BATCH = 100


class Fault(Exception):
    """A JSON-RPC error object, raised by a method or by the dialect itself."""

    def __init__(self, code: int, message: str, data=None, *, http_status: int | None = None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data
        self.http_status = http_status or HTTP_STATUS.get(code, 400)

    def as_error(self) -> dict:
        error = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def invalid_params(field: str, reason: str) -> Fault:
    return Fault(INVALID_PARAMS, f"Invalid params: {reason}", {"field": field})


def fault_for(exc: Exception) -> Fault:
    """Word any exception a method raised; unexpected ones are logged and told without internals."""
    if isinstance(exc, Fault):
        return exc
    if isinstance(exc, DomainError):
        code = next((code for kind, code in DOMAIN_CODES if isinstance(exc, kind)), INVALID_PARAMS)
        data = {"field": exc.field} if exc.field else {}
        data.update(getattr(exc, "details", {}))
        message = f"Invalid params: {exc.message}" if code == INVALID_PARAMS else exc.message
        return Fault(code, message, data or None)
    failure = describe(exc, {})
    code = FAILURE_CODES.get(failure.kind, INTERNAL_ERROR)
    return Fault(code, f"Invalid params: {failure.message}" if code == INVALID_PARAMS else failure.message)


@dataclass(frozen=True)
class Call:
    """What a method knows of its caller."""

    credential: Credential

    @property
    def is_test(self) -> bool:
        return self.credential.is_test

    @property
    def caller(self) -> str:
        return str(self.credential.api_key.pk)

    def may_use(self, account_code: str) -> bool:
        return account_code in self.credential.postal_accounts


class JsonRpcService:
    """A registry of methods, each behind a scope, and the Django view that serves them."""

    def __init__(self, scopes: tuple[str, ...]):
        self.scopes = scopes
        self.methods: dict = {}
        # The scope each method needs, by method name.
        self.method_scopes: dict[str, str] = {}
        self.authentication = BearerApiKeyAuthentication()

    def method(self, *, scope: str):
        def register(func):
            params = inspect.signature(func)

            # Not functools.wraps: jsonrpcserver would check the params against func's signature before the
            # scope, and tell a key that may not call the method what the method takes.
            def run(call: Call, *args, **kwargs):
                if not call.credential.has_scope(scope):
                    return Error(FORBIDDEN, f"Forbidden: this API key lacks the {scope} scope.")
                try:
                    params.bind(call, *args, **kwargs)
                except TypeError as exc:
                    return Error(INVALID_PARAMS, "Invalid params", str(exc))
                try:
                    return Success(func(call, *args, **kwargs))
                except Exception as exc:  # every failure becomes an error object, never a 500
                    fault = fault_for(exc)
                    if fault.data is None:
                        return Error(fault.code, fault.message)
                    return Error(fault.code, fault.message, fault.data)

            self.methods[func.__name__] = run
            self.method_scopes[func.__name__] = scope
            return func

        return register

    def as_view(self):
        return csrf_exempt(self.serve)

    def serve(self, request) -> HttpResponse:
        try:
            if request.method != "POST":
                raise Fault(INVALID_REQUEST, "Invalid Request: send JSON-RPC calls with POST.", http_status=405)
            call = Call(self._authenticate(request))
            payload = self._read(request)
        except Exception as exc:  # e.g. the database down while the key is checked: an error object still
            fault = fault_for(exc)
            return _reply({"jsonrpc": "2.0", "error": fault.as_error(), "id": None}, fault.http_status)
        started = time.perf_counter()
        if isinstance(payload, list):
            answer = self._batch(payload, call)
            status = 200
        else:
            answer = self._dispatch(payload, call)
            status = HTTP_STATUS.get(answer["error"]["code"], 400) if answer and "error" in answer else 200
        log.info(
            "postal.jsonrpc key=%s calls=%s ms=%.1f",
            call.credential.api_key.prefix,
            len(payload) if isinstance(payload, list) else 1,
            (time.perf_counter() - started) * 1000,
        )
        if answer is None:
            return HttpResponse(status=204)
        return _reply(answer, status)

    def _authenticate(self, request) -> Credential:
        try:
            found = self.authentication.authenticate(request)
        except AuthenticationFailed:
            raise Fault(UNAUTHENTICATED, "Unauthenticated: the API key is not valid or has been revoked.") from None
        if found is None:
            raise Fault(UNAUTHENTICATED, "Unauthenticated: send the API key as `Authorization: Bearer <key>`.")
        credential = found[1]
        if not any(credential.has_scope(scope) for scope in self.scopes):
            raise Fault(FORBIDDEN, f"Forbidden: this API key holds none of the scopes {', '.join(self.scopes)}.")
        count_request(credential.api_key)
        act_as_caller(request, credential, ActorPath.JSONRPC)
        return credential

    def _read(self, request):
        media_type = (request.content_type or "").split(";")[0].strip().lower()
        if media_type not in MEDIA_TYPES:
            raise Fault(
                INVALID_REQUEST, "Invalid Request: send the call as application/json or text/json.", http_status=415
            )
        limit = settings.POSTAL_MAX_REQUEST_BYTES
        too_large = Fault(INVALID_REQUEST, f"Invalid Request: the body is larger than {limit} bytes.", http_status=413)
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        raw = request.read(limit + 1)
        if len(raw) > limit:
            raise too_large
        try:
            payload = loads_lenient(raw)
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            raise Fault(PARSE_ERROR, f"Parse error: the body is not JSON ({error}).") from None
        if isinstance(payload, list) and not payload:
            raise Fault(INVALID_REQUEST, "Invalid Request: an empty batch.")
        if isinstance(payload, list) and len(payload) > MAX_BATCH:
            raise Fault(INVALID_REQUEST, f"Invalid Request: a batch holds at most {MAX_BATCH} calls.")
        return payload

    def _dispatch(self, element, call: Call) -> dict | None:
        return dispatch_to_serializable(element, self.methods, context=call, deserializer=_standard_version_member)

    def _batch(self, elements: list, call: Call) -> list | None:
        answers = [answer for answer in (self._dispatch(e, call) for e in elements) if answer is not None]
        return answers or None


@csrf_exempt
def unknown_endpoint(request) -> HttpResponse:
    """Paths under /publicinterface/ that name no endpoint, answered in this family's error body."""
    fault = Fault(INVALID_REQUEST, "Invalid Request: no such endpoint; send calls to /publicinterface/jsonrpc.")
    return _reply({"jsonrpc": "2.0", "error": fault.as_error(), "id": None}, 404)


def _standard_version_member(element):
    """Seed 002's recent_uploads example spells the version member `json_rpc`; read it as `jsonrpc`."""
    if isinstance(element, dict) and "json_rpc" in element and "jsonrpc" not in element:
        element = {("jsonrpc" if key == "json_rpc" else key): value for key, value in element.items()}
    return element


def _encoded(answer) -> bytes:
    try:
        return orjson.dumps(answer)
    except TypeError:  # orjson stops at 64 bits, and a caller's id may be any JSON number
        return json.dumps(answer).encode()


# Seed 002 answers `jsonrpc`, `id`, then `result`; an error object follows the same order.
MEMBER_ORDER = ("jsonrpc", "id", "result", "error")


def _in_seed_order(answer):
    if isinstance(answer, list):
        return [_in_seed_order(element) for element in answer]
    if not isinstance(answer, dict):
        return answer
    ordered = {name: answer[name] for name in MEMBER_ORDER if name in answer}
    return ordered | {name: value for name, value in answer.items() if name not in ordered}


def _reply(answer, status: int) -> HttpResponse:
    response = HttpResponse(_encoded(_in_seed_order(answer)), status=status, content_type="application/json")
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="postal"'
    if status == 405:
        response["Allow"] = "POST"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if status == 429 and isinstance(answer, dict):
        retry_after = (answer["error"].get("data") or {}).get("retry_after")
        if retry_after:
            response["Retry-After"] = str(retry_after)
    return response


def text_param(value, name: str, *, max_length: int | None = None, required: bool = True) -> str:
    if not isinstance(value, str) or (required and not value):
        raise invalid_params(name, f"{name} must be a {'non-empty ' if required else ''}string.")
    if "\x00" in value:
        # No stored text holds NUL, and PostgreSQL refuses it in a query.
        raise invalid_params(name, f"{name} contains a NUL character.")
    if LONE_SURROGATE.search(value):
        raise invalid_params(name, f"{name} holds a lone surrogate (an unpaired \\ud800-\\udfff escape).")
    if max_length is not None and len(value) > max_length:
        raise invalid_params(name, f"{name} is longer than {max_length} characters.")
    return value


def integer_param(value, name: str, *, minimum: int, maximum: int) -> int:
    # bool is an int in Python, but `true` is no number in JSON.
    if not isinstance(value, int) or isinstance(value, bool):
        raise invalid_params(name, f"{name} must be a whole number.")
    if not minimum <= value <= maximum:
        raise invalid_params(name, f"{name} must be from {minimum} to {maximum}; got {value}.")
    return value


def list_param(value, name: str, *, maximum: int) -> list:
    if not isinstance(value, list):
        raise invalid_params(name, f"{name} must be an array.")
    if len(value) > maximum:
        raise invalid_params(name, f"{name} holds {len(value)} items; at most {maximum} per request.")
    return value
