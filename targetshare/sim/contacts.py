"""Write supporters' contact exports the way phones and platforms produce them, with real noise.

Formats: vCard 3.0 (iPhone and Android flavours: CRLF, folded lines), Google Contacts CSV and the
Facebook "Download your information" friends JSON (UTF-8 bytes escaped as latin-1 code points).
A contact book holds nicknames, missing or partial last names, labels ("Mom", "Dave work"),
typos, outdated numbers, duplicates, emoji and businesses, as real ones do.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from targetshare.sim.names import facebook_mojibake, nickname_for, title_case, typo

__all__ = ["Contact", "render_book", "write_export", "GOOGLE_HEADER", "FORMAT_SHARES"]

GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
    "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
    "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Address 1 - Label,"
    "Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,"
    "Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,Relation 1 - Label,"
    "Relation 1 - Value"
).split(",")
FORMAT_SHARES = {"iphone_vcf": 0.3, "android_vcf": 0.15, "google_csv": 0.3, "facebook_json": 0.25}
EXTENSIONS = {"iphone_vcf": "vcf", "android_vcf": "vcf", "google_csv": "csv", "facebook_json": "json"}
KIN_LABELS = {
    "parent": {"F": ["Mom", "Mama", "Mother"], "M": ["Dad", "Daddy", "Pops"]},
    "spouse": {"F": ["Wife", "Hubby's wife", "My love ❤️"], "M": ["Hubby", "Husband", "Babe 💕"]},
}
RELATION_TAGS = {"coworker": ["work", "office", "from work"], "church": ["church", "from church"],
                 "neighbor": ["neighbor", "next door"], "acquaintance": ["gym", "soccer", "realtor", "plumber"]}
APPLE_RELATION = {"parent": ("_$!<Mother>!$_", "_$!<Father>!$_"), "spouse": ("_$!<Spouse>!$_",) * 2,
                  "child": ("_$!<Child>!$_",) * 2, "sibling": ("_$!<Sister>!$_", "_$!<Brother>!$_")}
BUSINESSES = ["Pizza Hut", "Dr. Patel's office", "Dentist", "AT&T", "Vet clinic", "Auto shop",
              "Library", "Pharmacy", "School office", "Daycare", "Landlord", "Plumber 🔧"]
EMOJI = ["😊", "💕", "🎉", "⭐", "🙏", "🏀", "❤️"]


@dataclass
class Contact:
    """One record as the export will show it; ``person_id`` 0 for businesses."""

    person_id: int
    first: str = ""
    middle: str = ""
    last: str = ""
    nickname: str = ""
    display: str = ""
    phones: list[str] = field(default_factory=list)
    email: str = ""
    bday: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    relation: str = ""
    female: bool = False
    starred: bool = False


_PHONE_STYLE_CDF = np.cumsum([0.4, 0.25, 0.15, 0.1, 0.1])[:-1]


def _pick(seq, rng: np.random.Generator):
    """One element of a sequence (faster than ``rng.choice`` on a Python list)."""
    return seq[int(rng.integers(len(seq)))]


def format_phone(number: int, rng: np.random.Generator) -> str:
    """A 10-digit number as people's phones store it, in one of several styles."""
    s = f"{number:010d}"
    style = int(np.searchsorted(_PHONE_STYLE_CDF, rng.random()))
    return [f"({s[:3]}) {s[3:6]}-{s[6:]}", f"+1 {s[:3]}-{s[3:6]}-{s[6:]}", s,
            f"{s[:3]}.{s[3:6]}.{s[6:]}", f"+1{s}"][style]


def _names(person: dict, rel: str, rng: np.random.Generator) -> tuple[str, str, str, str]:
    """(first, last, nickname, display) as the supporter typed them."""
    first, last = title_case(person["first"]), title_case(person["last"])
    nick = nickname_for(person["first"], rng) or ""
    u = rng.random()
    if rel in KIN_LABELS and u < 0.6:
        label = str(_pick(KIN_LABELS[rel]["F" if person["sex"] == "F" else "M"], rng))
        return label, "", "", label
    if nick and u < 0.2:
        first = nick
    elif u < 0.3:
        nick = nick if rng.random() < 0.3 else ""
    else:
        nick = ""
    v = rng.random()
    if v < 0.1:
        last = ""
    elif v < 0.15:
        last = last[:1]
    elif v < 0.2 and rel in RELATION_TAGS:
        last = str(_pick(RELATION_TAGS[rel], rng))
    elif v < 0.25:
        last = typo(last, rng)
    elif v < 0.28:
        first = typo(first, rng)
    if rng.random() < 0.03:
        last = (last + " " + str(_pick(EMOJI, rng))).strip()
    if rng.random() < 0.02:
        first, last = first.lower(), last.lower()
    return first, last, nick, " ".join(x for x in (first, last) if x)


def make_contact(person: dict, tie: dict, rng: np.random.Generator) -> Contact:
    """Render one person in one supporter's book (name forms, phone, and a few extras)."""
    first, last, nick, display = _names(person, tie["relation"], rng)
    c = Contact(person_id=int(person["person_id"]), first=first, last=last, nickname=nick, display=display,
                female=person["sex"] == "F")
    u = rng.random()
    phone = int(person["phone"]) if u < 0.88 else int(person["phone"]) + int(rng.integers(1, 9_000_000))
    if u < 0.96:
        c.phones.append(format_phone(phone, rng))
    if rng.random() < 0.08 and person.get("listed_phone"):
        c.phones.append(format_phone(int(person["listed_phone"]), rng))
    if rng.random() < 0.25 or not c.phones:
        handle = f"{person['first']}.{person['last']}".lower().replace(" ", "").replace("'", "")
        domain = _pick(["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com"], rng)
        c.email = f"{handle}{int(rng.integers(1, 99)) if rng.random() < 0.4 else ''}@{domain}"
    if rng.random() < 0.05 + 0.2 * tie["starred"] and person.get("birth_year"):
        c.bday = f"{int(person['birth_year'])}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"
    if rng.random() < 0.03 + 0.1 * tie["same_household"] and person.get("street"):
        c.street, c.city, c.state, c.zip = person["street"], title_case(person["city"]), "NC", person["zip"]
    if tie["relation"] in APPLE_RELATION and rng.random() < 0.3:
        c.relation = tie["relation"]
    c.starred = bool(tie["starred"])
    return c


def business(rng: np.random.Generator) -> Contact:
    """A non-person entry (``person_id`` 0)."""
    name = str(_pick(BUSINESSES, rng))
    number = int(_pick([919, 704, 336, 800], rng)) * 10_000_000 + int(rng.integers(2_010_000, 9_999_999))
    return Contact(person_id=0, first=name, display=name, phones=[format_phone(number, rng)])


ACCENTED = {"JOSE": "José", "MARIA": "María", "RENEE": "Renée", "ZOE": "Zoë", "CHLOE": "Chloé",
            "ANDRES": "Andrés", "JESUS": "Jesús", "ANGEL": "Ángel", "NOEL": "Noël", "RAMON": "Ramón"}


def facebook_contact(person: dict, rng: np.random.Generator) -> Contact:
    """A Facebook friend: the name the person gave themselves (nicknames, accents, maiden names)."""
    first = ACCENTED.get(person["first"], title_case(person["first"]))
    nick = nickname_for(person["first"], rng)
    if nick and rng.random() < 0.2:
        first = nick
    last = title_case(person["last"])
    if person.get("middle") and rng.random() < 0.06:
        last = f"{title_case(person['middle'])} {last}"
    if rng.random() < 0.01:
        last = f"{last} {_pick(EMOJI, rng)}"
    return Contact(person_id=int(person["person_id"]), first=first, last=last, display=f"{first} {last}")


def render_book(people: list[dict], ties: list[dict], rng: np.random.Generator, fmt: str) -> list[Contact]:
    """All records of one book in file order (duplicates and businesses included)."""
    if fmt == "facebook_json":  # friends only, newest first; no phones, no labels
        return [facebook_contact(p, rng) for p in people]
    book = [make_contact(p, t, rng) for p, t in zip(people, ties, strict=True)]
    n_dup = rng.binomial(len(people), 0.03)
    for i in rng.choice(len(people), size=min(n_dup, len(people)), replace=False) if people else []:
        book.append(make_contact(people[i], ties[i], rng))
    book.extend(business(rng) for _ in range(rng.binomial(len(people) + 10, 0.04)))
    return sorted(book, key=lambda b: (b.display.lower(), b.phones[:1]))


def _fold(line: str) -> str:
    """Fold a vCard line at 75 octets with CRLF + space, never inside a UTF-8 character."""
    if len(line) <= 75 and line.isascii():
        return line
    out, cur = [], ""
    for ch in line:
        if len((cur + ch).encode("utf-8")) > 75:
            out.append(cur)
            cur = " " + ch
        else:
            cur += ch
    out.append(cur)
    return "\r\n".join(out)


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def vcard(c: Contact, android: bool) -> str:
    """One vCard 3.0 record."""
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    if not android:
        lines.append("PRODID:-//Apple Inc.//iPhone OS 17.5.1//EN")
    lines += [f"N:{_esc(c.last)};{_esc(c.first)};{_esc(c.middle)};;", f"FN:{_esc(c.display)}"]
    if c.nickname:
        lines.append(f"NICKNAME:{_esc(c.nickname)}")
    for i, phone in enumerate(c.phones):
        if android:
            lines.append(f"TEL;TYPE=CELL:{phone}" if i == 0 else f"TEL;TYPE=HOME:{phone}")
        else:
            lines.append(f"TEL;type=CELL;type=VOICE;type=pref:{phone}" if i == 0 else f"TEL;type=HOME;type=VOICE:{phone}")
    if c.email:
        lines.append(f"EMAIL;type=INTERNET;type=HOME;type=pref:{c.email}" if not android else f"EMAIL;TYPE=HOME:{c.email}")
    if c.street:
        adr = f";;{_esc(c.street.title())};{_esc(c.city)};{c.state};{c.zip};United States"
        lines += [f"item1.ADR;type=HOME;type=pref:{adr}", "item1.X-ABADR:us"] if not android else [f"ADR;TYPE=HOME:{adr}"]
    if c.bday:
        lines.append(f"BDAY:{c.bday}" if not android else f"BDAY:{c.bday.replace('-', '')}")
    if c.relation:
        label = APPLE_RELATION[c.relation][0 if c.female else 1]
        if android:
            lines.append(f"X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;{_esc(c.display)};14;;;;;;;;;;;;;")
        else:
            lines += [f"item2.X-ABRELATEDNAMES;type=pref:{_esc(c.display)}", f"item2.X-ABLabel:{label}"]
    if c.starred and android:
        lines.append("CATEGORIES:starred")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def google_row(c: Contact) -> list[str]:
    """One row under ``GOOGLE_HEADER``."""
    row = dict.fromkeys(GOOGLE_HEADER, "")
    row.update({"First Name": c.first, "Middle Name": c.middle, "Last Name": c.last, "Nickname": c.nickname,
                "Birthday": c.bday, "Labels": "* myContacts" + (" ::: * starred" if c.starred else "")})
    if c.email:
        row.update({"E-mail 1 - Label": "* Home", "E-mail 1 - Value": c.email})
    for i, phone in enumerate(c.phones[:2], 1):
        row.update({f"Phone {i} - Label": "Mobile" if i == 1 else "Home", f"Phone {i} - Value": phone})
    if c.street:
        row.update({"Address 1 - Label": "Home", "Address 1 - Street": c.street.title(),
                    "Address 1 - City": c.city, "Address 1 - Region": c.state, "Address 1 - Postal Code": c.zip,
                    "Address 1 - Country": "US",
                    "Address 1 - Formatted": f"{c.street.title()}\n{c.city}, {c.state} {c.zip}\nUS"})
    if c.relation:
        row.update({"Relation 1 - Label": c.relation.capitalize(), "Relation 1 - Value": c.display})
    return list(row.values())


def write_export(path: Path, book: list[Contact], fmt: str, rng: np.random.Generator) -> None:
    """Write one book in its format."""
    if fmt in ("iphone_vcf", "android_vcf"):
        path.write_bytes("".join(vcard(c, fmt == "android_vcf") for c in book).encode("utf-8"))
    elif fmt == "google_csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(GOOGLE_HEADER)
        writer.writerows(google_row(c) for c in book)
        path.write_bytes(buf.getvalue().encode("utf-8"))
    else:
        stamps = np.sort(rng.integers(1_262_304_000, 1_764_000_000, len(book)))[::-1]
        friends = [{"name": facebook_mojibake(c.display), "timestamp": int(t)} for c, t in zip(book, stamps, strict=True)]
        path.write_text(json.dumps({"friends_v2": friends}, indent=2), encoding="ascii")
