"""Names as people really type them into a phone: split, and read for relationship and labels.

A contact book is not a voter file. Entries look like "Mom", "Dave work", "Jen from church",
"Dr. Sarah Lee", "Lee, Sarah", "Bob 🎉", "Mike (neighbor)", "Aunt Carol" or "J Smith".
:func:`parse_display_name` turns such a string into given/middle/family name (cleaned with
``targetshare.normalize.clean_name``) plus the words that were not names: a relationship
("mother", "spouse", ...) and labels ("work", "church", ...).

The word lists are deliberately short and explicit; a word in them is never taken as a name
(so a real family name "Church" or "Work" is read as a label — rare, and the supporter confirms
every match anyway).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from targetshare.normalize import clean_name

__all__ = [
    "ParsedName",
    "parse_display_name",
    "plain_label",
    "relationship_from_label",
    "relationship_from_labels",
    "RELATIONSHIPS",
]

# word (lower case, no dots) -> relationship category
_REL_WORDS: dict[str, str] = {}
for _category, _words in {
    "mother": "mom mum mama mamma momma mommy mommie mummy mother ma mamá madre mami",
    "father": "dad daddy papa papá pops father pa padre papi",
    "parent": "parent parents",
    "spouse": "wife husband hubby wifey spouse",
    "partner": "partner boyfriend girlfriend bf gf bae babe fiance fiancé fiancee fiancée "
    "domestic_partner",
    "sibling": "brother sister bro sis sibling brother_sister",
    "child": "son daughter child kid",
    "grandparent": "grandma grandpa granny grandmother grandfather gramma grandmom granddad "
    "grampa nana nanna abuela abuelo oma opa meemaw pawpaw",
    "grandchild": "grandson granddaughter grandchild",
    "aunt_uncle": "aunt auntie aunty tia tía uncle tio tío",
    "cousin": "cousin cuz prima primo",
    "niece_nephew": "niece nephew",
    "in_law": "in_law",
    "relative": "relative family",
    "friend": "friend bff bestie",
    "coworker": "coworker co-worker colleague boss manager assistant",
    "neighbor": "neighbor neighbour",
    "classmate": "classmate",
}.items():
    for _w in _words.split():
        _REL_WORDS[_w] = _category

RELATIONSHIPS = frozenset(_REL_WORDS.values())

# words that say where the supporter knows someone from -> relationship they imply ("" = none)
_LABEL_WORDS: dict[str, str] = {
    "work": "coworker", "office": "coworker", "job": "coworker", "coworker": "coworker",
    "church": "", "gym": "", "school": "classmate", "college": "classmate",
    "highschool": "classmate", "uni": "classmate", "class": "classmate",
    "neighbor": "neighbor", "neighbour": "neighbor", "team": "", "soccer": "",
    "book": "", "club": "", "choir": "", "yoga": "", "pta": "", "daycare": "",
    "doctor": "", "dentist": "", "plumber": "", "landlord": "", "babysitter": "",
}
_HONORIFICS = frozenset("dr mr mrs ms miss mx rev prof fr sir dame hon".split())
_SUFFIXES = frozenset("jr sr ii iii iv 2nd 3rd md phd esq dds rn cpa".split())
_NOISE = frozenset("cell mobile iphone phone new old home personal landline number my the".split())
_PARTICLES = frozenset("de da del della der den di du la le van von st ste bin ibn al el dos das".split())
_SPLITTERS = re.compile(r"\s+(?:from|@|at|-|–|—|\||/)\s+", re.IGNORECASE)
_LEADING_SPLITTER = re.compile(r"^(?:(?:from|at)\s+|[@|/–—-]\s*)(?=\S)", re.IGNORECASE)
_PAREN = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")
_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")


@dataclass
class ParsedName:
    given: str = ""
    middle: str = ""
    family: str = ""
    nickname: str = ""
    relationship: str = ""
    labels: list[str] = field(default_factory=list)


def _keep_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LMN" or ch in " '’.,-" or cat == "Zs"


def _strip_symbols(text: str) -> str:
    """Drop emoji and pictographs; keep letters, digits and name punctuation."""
    return "".join(ch if _keep_char(ch) else " " for ch in text)


def _key(token: str) -> str:
    return token.lower().strip(".,'’").replace("-", "_") if token else ""


def plain_label(label: str | None) -> str:
    """A relation label as written, lower-cased, without Apple's ``_$!<...>!$_`` wrapper."""
    return _APPLE_LABEL.sub(r"\1", (label or "").strip()).lower()


def relationship_from_label(label: str) -> str:
    """Map a relation label ("Mom", "_$!<Mother>!$_", "brother-in-law") to a category or ""."""
    text = plain_label(label)
    if text in RELATIONSHIPS:
        return text
    if re.search(r"in[\s_-]*law", text):
        return "in_law"
    keys = [_key(word) for word in re.split(r"[\s,/]+", text)]
    for key in keys:  # a kinship word outranks a place word: "work friend" is a friend
        if key in _REL_WORDS:
            return _REL_WORDS[key]
    for key in keys:
        if _LABEL_WORDS.get(key):
            return _LABEL_WORDS[key]
    return _REL_WORDS.get(text.replace(" ", "_"), "")


def _read_aside(text: str, out: ParsedName) -> None:
    """A part that is not a name ("church", "neighbor", "work friend"): labels and relationship."""
    label = " ".join(_strip_symbols(text).split()).lower()
    if not label:
        return
    rel = relationship_from_label(label)
    if rel and not out.relationship:
        out.relationship = rel
    if label not in out.labels and not (rel and _REL_WORDS.get(_key(label)) == rel):
        out.labels.append(label)


def _classify(
    tokens: list[str], out: ParsedName, leading_label: bool = False, plain: bool = False
) -> list[str]:
    """Take relationship, label, honorific, suffix and noise words out; return the name tokens."""
    names: list[str] = []
    for i, token in enumerate(tokens):
        key = _key(token)
        if not key:
            continue
        if plain and key not in _HONORIFICS and key not in _SUFFIXES:
            names.append(token.strip(".,"))
            continue
        if key in _REL_WORDS:
            out.relationship = out.relationship or _REL_WORDS[key]
        elif key in _LABEL_WORDS and (names or i > 0 or leading_label):
            if key not in out.labels:  # relationship from a place word is decided at the end
                out.labels.append(key)
        elif key in _HONORIFICS and not names:
            continue
        elif key in _SUFFIXES and names:
            continue
        elif key in _NOISE or key.isdigit() or key.startswith("#"):
            continue
        elif key.endswith(("'s", "’s")):
            # "Sarah's mom": about someone else; the name is not this contact's.
            label = " ".join(tokens[i:]).lower()
            if label not in out.labels:
                out.labels.append(label)
            return []
        else:
            names.append(token.strip(".,"))
    return names


def _assign(names: list[str], out: ParsedName) -> None:
    if not names:
        return
    out.given = clean_name(names[0])
    rest = names[1:]
    if not rest:
        return
    start = len(rest) - 1
    for j, token in enumerate(rest[:-1]):
        if _key(token) in _PARTICLES:
            start = j
            break
    out.family = clean_name(" ".join(rest[start:]))
    out.middle = clean_name(" ".join(rest[:start]))


def parse_display_name(
    text: str | None, leading_label: bool = False, plain: bool = False
) -> ParsedName:
    """Split a display name into cleaned name parts, relationship and labels.

    ``leading_label`` reads a first word such as "work" as a label; used for a family-name field
    holding only "work" (an iPhone "Dave work" is stored as given Dave, family work) or
    "from work". ``plain`` is for real profile names (Facebook): no relationship or label words,
    so "Oma Szabo" keeps her given name.

    >>> p = parse_display_name("Jen from church"); (p.given, p.labels)
    ('JEN', ['church'])
    """
    out = ParsedName()
    text = unicodedata.normalize("NFC", (text or "").strip())
    if not text:
        return out
    if plain:
        _assign(_classify(_strip_symbols(text).replace(",", " ").split(), out, plain=True), out)
        return out
    if leading_label and _LEADING_SPLITTER.match(text):
        _read_aside(_LEADING_SPLITTER.sub("", text), out)
        return out
    for quoted in _QUOTED.findall(text):
        out.nickname = out.nickname or clean_name(quoted)
    text = _QUOTED.sub(" ", text)
    for aside in _PAREN.findall(text):
        _read_aside(aside, out)
    text = _PAREN.sub(" ", text)
    if re.search(r"\bin[\s-]+law\b", text, re.IGNORECASE):
        out.relationship = "in_law"
        text = re.sub(r"\b\w+[\s-]+in[\s-]+law\b", " ", text, flags=re.IGNORECASE)
    parts = _SPLITTERS.split(_strip_symbols_keep_splitters(text), maxsplit=1)
    if len(parts) == 2:
        _read_aside(parts[1], out)
    text = _strip_symbols(parts[0])
    if "," in text:
        left, right = text.split(",", 1)
        right_tokens = right.replace(",", " ").split()
        if right_tokens and all(_key(t) in _SUFFIXES for t in right_tokens):
            text = left
        elif left.strip() and right_tokens:
            family = _classify(left.split(), out)
            rest = _classify(right_tokens, out)
            if family:
                out.family = clean_name(" ".join(family))
                out.given = clean_name(rest[0]) if rest else ""
                out.middle = clean_name(" ".join(rest[1:]))
            else:
                _assign(rest, out)
            _relationship_from_labels(out)
            return out
    _assign(_classify(text.replace(",", " ").split(), out, leading_label), out)
    _relationship_from_labels(out)
    return out


def relationship_from_labels(labels: list[str]) -> str:
    """The first relationship a label implies ("work" → coworker); "" if none."""
    for label in labels:
        if re.search(r"['’]s\b", label):  # "sarah's mom" is not the supporter's mother
            continue
        relationship = relationship_from_label(label)
        if relationship:
            return relationship
    return ""


def _relationship_from_labels(out: ParsedName) -> None:
    out.relationship = out.relationship or relationship_from_labels(out.labels)


def _strip_symbols_keep_splitters(text: str) -> str:
    """Like :func:`_strip_symbols` but keeps the separators ``@ | /`` used before a label."""
    return "".join(ch if _keep_char(ch) or ch in "@|/–—" else " " for ch in text)
