"""CSRF tokens for the HTML forms and a bounded reader for uploaded files.

A token is a random nonce signed with a per-process secret (HMAC-SHA256); the page puts it
in a cookie and in the form's hidden field, and a POST is accepted only when both carry the
same validly signed token. A cross-site page can make a browser send the cookie but can
neither read it nor forge the signature.

The upload reader stops as soon as the body passes the size limit (nothing larger is ever
held in memory) and parses multipart/form-data itself: the forms have two fields, and the
standard library needs no extra package for that.

The Host names a request may give, and the page's content security policy, are here too.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import AsyncIterator, Optional

CSRF_COOKIE = "roadmap_csrf"
CSRF_FIELD = "csrf_token"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Pages load their script, styles and images from this site only; the status colours are
# inline styles, the page images PNG from this site or inline SVG.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
ANY_ADDRESS = ("0.0.0.0", "::", "")
_FORM_OVERHEAD = 64 * 1024  # boundaries, headers and the token beside the file


class UploadTooLarge(ValueError):
    pass


class BadForm(ValueError):
    pass


class Csrf:
    """Signs and checks tokens with a secret that lives as long as the process."""

    def __init__(self, secret: Optional[bytes] = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode("ascii"), hashlib.sha256).hexdigest()

    def new_token(self) -> str:
        nonce = secrets.token_hex(16)
        return f"{nonce}.{self._sign(nonce)}"

    def valid(self, token: Optional[str]) -> bool:
        if not token or token.count(".") != 1:
            return False
        nonce, signature = token.split(".")
        if not re.fullmatch(r"[0-9a-f]{32}", nonce):
            return False
        return hmac.compare_digest(self._sign(nonce), signature)

    def check(self, cookie: Optional[str], field: Optional[str]) -> bool:
        """The form's token matches the cookie's and carries this process's signature."""
        return bool(cookie and field) and hmac.compare_digest(cookie, field) and self.valid(field)


async def read_limited(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The request body, refused (UploadTooLarge) the moment it passes `limit` bytes."""
    body = bytearray()
    async for chunk in chunks:
        body.extend(chunk)
        if len(body) > limit:
            raise UploadTooLarge(f"the request body passed {limit} bytes")
    return bytes(body)


def form_limit(max_file: int = MAX_UPLOAD_BYTES) -> int:
    return max_file + _FORM_OVERHEAD


@dataclass
class FormPart:
    name: str
    filename: Optional[str]
    data: bytes


_PARAM = re.compile(r';\s*([a-zA-Z*]+)="?((?:[^"\\;]|\\.)*)"?')


def _boundary(content_type: str) -> bytes:
    if not content_type.lower().startswith("multipart/form-data"):
        raise BadForm("expected multipart/form-data")
    params = dict((k.lower(), v) for k, v in _PARAM.findall(content_type))
    boundary = params.get("boundary", "")
    if not boundary or len(boundary) > 200:
        raise BadForm("multipart form without a boundary")
    return boundary.encode("latin-1")


def parse_multipart(content_type: str, body: bytes) -> dict[str, FormPart]:
    """The parts of a multipart/form-data body by field name (the first of each name)."""
    delimiter = b"--" + _boundary(content_type)
    pieces = body.split(delimiter)
    if len(pieces) < 3:
        raise BadForm("malformed multipart form")
    parts: dict[str, FormPart] = {}
    for piece in pieces[1:-1]:
        if piece.startswith(b"\r\n"):
            piece = piece[2:]
        head, sep, data = piece.partition(b"\r\n\r\n")
        if not sep:
            raise BadForm("malformed multipart part")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        disposition = ""
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            if key.strip().lower() == "content-disposition":
                disposition = value
        params = dict((k.lower(), v) for k, v in _PARAM.findall(disposition))
        name = params.get("name")
        if name and name not in parts:
            parts[name] = FormPart(name, params.get("filename"), data)
    return parts


_UNSAFE_IN_NAME = re.compile(r"[^\w\- ]+")
UPLOAD_STEM_CHARS = 60


def upload_stem(filename: Optional[str]) -> str:
    """What of an uploaded file's name its copy on disk keeps, so the ledger and the reports
    still say which file it was: the last part of the name without its extension, letters,
    digits, spaces, hyphens and underscores only (anything else one `_`), at most 60 characters;
    "" when nothing is left. Never a separator, a dot, a control or a format character: the copy's
    suffix comes from the bytes, and the first digits of their sha256 follow the stem (web/uploads.py)."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base.lstrip(".")
    return _UNSAFE_IN_NAME.sub("_", stem).strip(" _-")[:UPLOAD_STEM_CHARS].rstrip(" _-")


def hosts_for(bound: str) -> Optional[list[str]]:
    """The Host names the workbench answers to when bound to `bound`: on loopback only the
    loopback names, so a page of another site whose name an attacker rebinds to 127.0.0.1
    (DNS rebinding) is refused; on one named address that name and loopback's. Bound to every
    address (0.0.0.0) the names it is reached by are unknown: None, every name (the CLI warns)."""
    if bound in ANY_ADDRESS:
        return None
    if bound in LOOPBACK_NAMES:
        return list(LOOPBACK_NAMES)
    return [bound, *LOOPBACK_NAMES]
