"""Who publishes a deployment: the publisher and contact point of its dataset description.

kg cannot know who runs a server, so a deployment says it in a small TOML file, given to
`kg serve --publisher FILE` (or found as `publisher.toml` in the data folder):

    name = "Open Data Team, Example University"   # the publisher (foaf:Agent), required
    homepage = "https://example.org/"             # optional
    email = "opendata@example.org"                # the contact point's e-mail, required
    contact = "Open Data helpdesk"                # the contact point's name (default: name)
    issued = 2026-01-15                           # when the dataset was first published, optional

Without one, the description names no publisher and no contact point rather than inventing them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PUBLISHER_FILE = "publisher.toml"
_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
FIELDS = {"name", "homepage", "email", "contact", "issued"}


class PublisherError(ValueError):
    """The publisher file cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Publisher:
    name: str
    email: str
    homepage: str | None = None
    contact: str | None = None  # the contact point's name; None: the publisher's
    issued: date | None = None

    @property
    def contact_name(self) -> str:
        return self.contact or self.name


def read_publisher(path: Path) -> Publisher:
    """The publisher a file describes; a `PublisherError` naming the file and field otherwise."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError) as error:
        raise PublisherError(f"{path}: cannot read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise PublisherError(f"{path}: {error}") from error
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise PublisherError(f"{path}: unknown fields {unknown}; known: {sorted(FIELDS)}")
    name, email = data.get("name"), data.get("email")
    if not isinstance(name, str) or not name.strip():
        raise PublisherError(f"{path}: `name` (the publisher's name) is required")
    if not isinstance(email, str) or not _EMAIL.fullmatch(email):
        raise PublisherError(f"{path}: `email` must be an e-mail address, got {email!r}")
    homepage = data.get("homepage")
    if homepage is not None and (not isinstance(homepage, str) or not _URL.fullmatch(homepage)):
        raise PublisherError(f"{path}: `homepage` must be an http(s) URL, got {homepage!r}")
    contact = data.get("contact")
    if contact is not None and (not isinstance(contact, str) or not contact.strip()):
        raise PublisherError(f"{path}: `contact` must be a name")
    issued = data.get("issued")
    if issued is not None and (not isinstance(issued, date) or hasattr(issued, "hour")):
        raise PublisherError(f"{path}: `issued` must be a date (2026-01-15), got {issued!r}")
    return Publisher(name.strip(), email, homepage, contact.strip() if contact else None, issued)


def find_publisher(data_dir: Path, given: Path | None) -> Publisher | None:
    """The publisher of `given`, else of `publisher.toml` in the data folder, else None."""
    if given is not None:
        return read_publisher(given)
    default = Path(data_dir) / PUBLISHER_FILE
    return read_publisher(default) if default.is_file() else None
