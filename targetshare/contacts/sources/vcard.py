"""vCard 2.1, 3.0 and 4.0 as iPhone, Android, Google and Outlook export them.

Why our own reader and not ``vobject``: vobject is not a dependency of the project, and it is
strict where phones are sloppy — it rejects or mangles vCard 2.1 quoted-printable soft line
breaks with a ``CHARSET`` parameter (old Android), bare 2.1 parameters (``TEL;CELL:``), Apple's
grouped ``item1.X-ABLabel`` properties and ``BDAY;X-APPLE-OMIT-YEAR=1604``, and it gives no line
numbers for errors. What we need is small: unfold lines, split ``group.NAME;params:value``,
decode quoted-printable, unescape, and keep track of BEGIN/END with line numbers. That is this
module.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from targetshare.contacts.normalize import RawContact, finish_all
from targetshare.contacts.record import Contact
from targetshare.errors import InputFileError

__all__ = ["parse_vcard", "looks_like_vcard", "Property", "read_properties"]

_PROP = re.compile(r"^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$", re.DOTALL)
# Android's X-ANDROID-CUSTOM relation type codes (ContactsContract.CommonDataKinds.Relation).
_ANDROID_RELATION = {
    "1": "assistant", "2": "brother", "3": "child", "4": "domestic_partner", "5": "father",
    "6": "friend", "7": "manager", "8": "mother", "9": "parent", "10": "partner",
    "11": "referred_by", "12": "relative", "13": "sister", "14": "spouse",
}


@dataclass
class Property:
    """One vCard content line: ``group.NAME;PARAM=a,b:value``."""

    name: str
    value: str
    params: dict[str, list[str]] = field(default_factory=dict)
    group: str = ""
    line: int = 0

    @property
    def types(self) -> set[str]:
        return {t.lower() for t in self.params.get("TYPE", [])}


def looks_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCARD")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfold continuation lines (leading space/tab) and quoted-printable soft breaks."""
    current: str | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if current is not None and line[:1] in (" ", "\t"):
            current += line[1:]
            continue
        if current is not None and _qp_soft_break(current):
            current = current[:-1] + line
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def _qp_soft_break(line: str) -> bool:
    return line.endswith("=") and "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper()


def _split(value: str, sep: str) -> list[str]:
    """Split on ``sep`` not escaped by a backslash."""
    parts, buf, escaped = [], [], False
    for ch in value:
        if escaped:
            buf.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _parse_params(text: str) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for item in (p for p in re.split(r";(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", text) if p):
        if "=" in item:
            key, _, val = item.partition("=")
            values = [v.strip().strip('"') for v in val.split(",")]
        else:  # vCard 2.1 bare parameter: TEL;CELL;PREF:  or  ;QUOTED-PRINTABLE
            key, values = _bare_param_key(item), [item.strip()]
        params.setdefault(key.strip().upper(), []).extend(v for v in values if v)
    return params


def _bare_param_key(item: str) -> str:
    upper = item.strip().upper()
    if upper in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"):
        return "ENCODING"
    return "TYPE"


def _decode(value: str, params: dict[str, list[str]]) -> str:
    encoding = [e.upper() for e in params.get("ENCODING", [])]
    if "QUOTED-PRINTABLE" not in encoding:
        return value
    charset = (params.get("CHARSET") or ["utf-8"])[0]
    raw = quopri.decodestring(value.encode("latin-1", errors="replace"))
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return raw.decode("utf-8", errors="replace")


def read_properties(text: str) -> Iterator[list[Property]]:
    """Yield the properties of each vCard; raise InputFileError naming the line on bad structure."""
    card: list[Property] | None = None
    begin_line = 0
    for number, line in _logical_lines(text):
        if not line.strip():
            continue
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if card is not None:
                raise InputFileError(
                    f"line {number}: BEGIN:VCARD inside the vCard begun at line {begin_line} "
                    "(missing END:VCARD)"
                )
            card, begin_line = [], number
            continue
        if upper == "END:VCARD":
            if card is None:
                raise InputFileError(f"line {number}: END:VCARD without a BEGIN:VCARD")
            yield card
            card = None
            continue
        if card is None:
            raise InputFileError(f"line {number}: text outside a vCard (expected BEGIN:VCARD)")
        match = _PROP.match(line)
        if not match:
            raise InputFileError(f"line {number}: not a vCard property line (expected NAME:value)")
        group, name, param_text, value = match.groups()
        params = _parse_params(param_text[1:] if param_text else "")
        card.append(
            Property(name.upper(), _decode(value, params), params, (group or "").lower(), number)
        )
    if card is not None:
        raise InputFileError(f"line {begin_line}: vCard begun here has no END:VCARD")


def _texts(value: str, sep: str = ";") -> list[str]:
    return [_unescape(p).strip() for p in _split(value, sep)]


def _label(prop: Property, labels: dict[str, str]) -> str:
    """A property's own label: its grouped X-ABLabel, else its TYPE."""
    if prop.group and prop.group in labels:
        return labels[prop.group]
    types = prop.types - {"pref", "voice", "internet", "x400", "text"}
    return sorted(types)[0] if types else ""


def _relation(prop: Property, labels: dict[str, str]) -> tuple[str, str] | None:
    if prop.name == "X-ABRELATEDNAMES":
        return _label(prop, labels), _unescape(prop.value).strip()
    if prop.name == "RELATED":
        value = _unescape(prop.value).strip()
        if value.lower().startswith(("urn:", "http:", "https:", "mailto:", "tel:")):
            return None
        return _label(prop, labels), value
    if prop.name == "X-ANDROID-CUSTOM":
        parts = _texts(prop.value)
        if parts and parts[0].endswith("/relation") and len(parts) > 1:
            kind = parts[2] if len(parts) > 2 else ""
            label = parts[3] if kind in ("0", "") and len(parts) > 3 else ""
            return label or _ANDROID_RELATION.get(kind, ""), parts[1]
    return None


def _card_to_raw(props: list[Property], position: int) -> RawContact:
    raw = RawContact(source="vcard", position=position)
    labels = {p.group: _unescape(p.value).strip() for p in props if p.name == "X-ABLABEL"}
    for prop in props:
        _apply(prop, raw, labels)
    return raw


def _apply(prop: Property, raw: RawContact, labels: dict[str, str]) -> None:
    name, value = prop.name, prop.value
    if name == "FN":
        raw.display_name = _unescape(value).strip()
    elif name == "N":
        parts = _texts(value) + [""] * 5
        raw.family, raw.given, raw.middle = parts[0], parts[1], parts[2]
    elif name == "NICKNAME":
        raw.nickname = raw.nickname or _texts(value, ",")[0]
    elif name == "TEL":
        phone = re.sub(r"^tel:", "", _unescape(value).strip(), flags=re.IGNORECASE)
        if "pref" in prop.types or "1" in prop.params.get("PREF", []):
            raw.phones.insert(0, phone)
        else:
            raw.phones.append(phone)
    elif name == "EMAIL":
        raw.emails.append(_unescape(value).strip())
    elif name == "ADR":
        parts = _texts(value) + [""] * 7
        raw.addresses.append((parts[3], parts[4], parts[5]))
    elif name == "BDAY":
        raw.birthday = _unescape(value).strip()
        raw.omit_year = "X-APPLE-OMIT-YEAR" in prop.params
    elif name == "ORG":
        raw.organization = " ".join(p for p in _texts(value) if p)
    elif name == "CATEGORIES":
        for cat in _texts(value, ","):
            if cat.lower() == "starred":
                raw.starred = True
            elif cat:
                raw.labels.append(cat)
    elif name == "X-ANDROID-CUSTOM" and value.split(";", 1)[0].endswith("/nickname"):
        parts = _texts(value)
        raw.nickname = raw.nickname or (parts[1] if len(parts) > 1 else "")
    relation = _relation(prop, labels)
    if relation and relation[1]:
        raw.relations.append(relation)


def parse_vcard(text: str, region: str = "US") -> list[Contact]:
    """Every vCard in ``text``, in file order, as canonical contacts."""
    if not looks_like_vcard(text):
        raise InputFileError("not a vCard file: it does not start with BEGIN:VCARD")
    raws = [_card_to_raw(props, i) for i, props in enumerate(read_properties(text), start=1)]
    return finish_all(raws, region)
