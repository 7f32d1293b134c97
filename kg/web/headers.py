"""Security headers on every answer, set in one place (`LimitsMiddleware`, the outermost layer,
so errors and the limits' own answers carry them too).

- Every answer: `X-Content-Type-Options: nosniff` (a browser takes the declared type: a plain-text
  error quoting the request, or a JSON or RDF document holding markup, is never read as HTML) and
  `Referrer-Policy`.
- HTML pages: a `Content-Security-Policy` under which only kg's own files run or style the page
  (no inline script or style, nothing from another origin), forms post only to kg, and no other
  site may frame it (`frame-ancestors 'none'`, and `X-Frame-Options` for older browsers).
- Anything else: a policy that lets nothing load or run, and sandboxes the document, should a
  browser render it anyway.
"""

from __future__ import annotations

from typing import Any

Message = dict[str, Any]

HTML_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def html_policy(style_hashes: tuple[str, ...] = ()) -> str:
    """HTML_POLICY, also allowing the `<style>` elements whose text has one of `style_hashes`
    ("sha256-<base64>"): a library that writes fixed rules into the page is allowed just those
    rules, never inline style in general."""
    if not style_hashes:
        return HTML_POLICY
    allowed = " ".join(f"'{digest}'" for digest in style_hashes)
    return HTML_POLICY.replace("style-src 'self';", f"style-src 'self'; style-src-elem 'self' {allowed};")


DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
REFERRER_POLICY = "strict-origin-when-cross-origin"


def security_headers(media_type: str) -> list[tuple[bytes, bytes]]:
    """The headers an answer of `media_type` carries."""
    html = media_type.split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml")
    headers = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", REFERRER_POLICY.encode())]
    if html:
        headers += [(b"content-security-policy", HTML_POLICY.encode()), (b"x-frame-options", b"DENY")]
    else:
        headers.append((b"content-security-policy", DATA_POLICY.encode()))
    return headers


def with_security_headers(start: Message) -> Message:
    """`start` (an ASGI response start) with the security headers it does not set itself."""
    headers = list(start.get("headers", ()))
    present = {name.lower() for name, _ in headers}
    media = next((value.decode("latin-1") for name, value in headers if name.lower() == b"content-type"), "")
    headers += [(name, value) for name, value in security_headers(media) if name not in present]
    return {**start, "headers": headers}
