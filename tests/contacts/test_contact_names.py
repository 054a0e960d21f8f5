"""Names as typed into phones, birthdays, and merging duplicates."""

from __future__ import annotations

import pytest

from targetshare.contacts import dedupe, detect_and_parse, parse_manual
from targetshare.contacts.names import parse_display_name, relationship_from_label
from targetshare.contacts.normalize import parse_birthday, state_code


@pytest.mark.parametrize(
    ("text", "given", "middle", "family", "relationship", "labels"),
    [
        ("Mom", "", "", "", "mother", []),
        ("Mum", "", "", "", "mother", []),
        ("Mama", "", "", "", "mother", []),
        ("Dad cell", "", "", "", "father", []),
        ("Hubby ❤️", "", "", "", "spouse", []),
        ("Dave work", "DAVE", "", "", "coworker", ["work"]),
        ("Jen from church", "JEN", "", "", "", ["church"]),
        ("Tom @ gym", "TOM", "", "", "", ["gym"]),
        ("Mike - work", "MIKE", "", "", "coworker", ["work"]),
        ("Dr. Sarah Lee", "SARAH", "", "LEE", "", []),
        ("Lee, Sarah", "SARAH", "", "LEE", "", []),
        ("Lee, Sarah Jane", "SARAH", "JANE", "LEE", "", []),
        ("Bob 🎉", "BOB", "", "", "", []),
        ("Mike (neighbor)", "MIKE", "", "", "neighbor", []),
        ("Ann (book club)", "ANN", "", "", "", ["book club"]),
        ("Aunt Carol", "CAROL", "", "", "aunt_uncle", []),
        ("Grandma Jo", "JO", "", "", "grandparent", []),
        ("J Smith", "J", "", "SMITH", "", []),
        ("J. R. Smith", "J", "R", "SMITH", "", []),
        ("Cher", "CHER", "", "", "", []),
        ("Maria de la Cruz", "MARIA", "", "DE LA CRUZ", "", []),
        ("Juan Carlos de la Cruz", "JUAN", "CARLOS", "DE LA CRUZ", "", []),
        ("Ludwig van Beethoven", "LUDWIG", "", "VAN BEETHOVEN", "", []),
        ("Sean O'Neil", "SEAN", "", "O'NEIL", "", []),
        ("Sean O’Neil", "SEAN", "", "O'NEIL", "", []),
        ("Mary-Kate Olsen-Smith", "MARY-KATE", "", "OLSEN-SMITH", "", []),
        ("John Smith Jr.", "JOHN", "", "SMITH", "", []),
        ("John Smith, Jr.", "JOHN", "", "SMITH", "", []),
        ("Smith, John Jr.", "JOHN", "", "SMITH", "", []),
        ("Henry Ford III", "HENRY", "", "FORD", "", []),
        ("José Núñez", "JOSE", "", "NUNEZ", "", []),
        ("Van Morrison", "VAN", "", "MORRISON", "", []),
        ("Mother-in-law", "", "", "", "in_law", []),
        ("Sarah's mom", "", "", "", "", ["sarah's mom"]),
        ("", "", "", "", "", []),
        ("🎉🎉", "", "", "", "", []),
    ],
)
def test_parse_display_name(text, given, middle, family, relationship, labels):
    parsed = parse_display_name(text)
    assert (parsed.given, parsed.middle, parsed.family) == (given, middle, family)
    assert parsed.relationship == relationship
    assert parsed.labels == labels


def test_quoted_nickname():
    parsed = parse_display_name('Robert "Bob" Smith III')
    assert (parsed.given, parsed.family, parsed.nickname) == ("ROBERT", "SMITH", "BOB")


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("_$!<Mother>!$_", "mother"), ("_$!<Spouse>!$_", "spouse"), ("_$!<Brother>!$_", "sibling"),
        ("sister", "sibling"), ("Brother-in-law", "in_law"), ("domestic_partner", "partner"),
        ("Work friend", "friend"), ("work", "coworker"), ("church", ""), ("", ""),
        ("aunt_uncle", "aunt_uncle"),
    ],
)
def test_relationship_from_label(label, category):
    assert relationship_from_label(label) == category


@pytest.mark.parametrize(
    ("value", "omit", "expected"),
    [
        ("1985-04-12", False, ("1985-04-12", 1985)),
        ("19850412", False, ("1985-04-12", 1985)),
        ("--04-12", False, ("--04-12", None)),
        ("--0412", False, ("--04-12", None)),
        ("1604-04-12", True, ("--04-12", None)),
        ("1604-04-12", False, ("--04-12", None)),
        ("1985-04-12T00:00:00Z", False, ("1985-04-12", 1985)),
        ("4/12/1985", False, ("1985-04-12", 1985)),
        ("4/12/85", False, ("1985-04-12", 1985)),
        ("0/0/00", False, ("", None)),
        ("1985-13-01", False, ("", None)),
        ("circa 1800", False, ("", None)),
        ("", False, ("", None)),
    ],
)
def test_parse_birthday(value, omit, expected):
    assert parse_birthday(value, omit) == expected


def test_state_names():
    assert state_code("North Carolina") == "NC"
    assert state_code("n.c.") == "NC" or state_code("n.c.") == ""
    assert state_code("nc") == "NC" and state_code("Narnia") == ""


def test_dedupe_merges_same_phone_and_same_name():
    contacts = parse_manual(
        [
            {"name": "Mom", "tel": ["919-555-0801"]},
            {"name": "Linda Lee", "tel": ["(919) 555-0801"], "email": ["linda@example.com"]},
            {"name": "Sarah Lee", "tel": ["919-555-0802"]},
            {"name": "Sarah Lee", "email": ["sarah@example.com"], "birthday": "1985-04-12"},
            {"name": "Jen", "tel": ["919-555-0803"]},
            {"name": "Jen", "tel": ["919-555-0804"]},
        ]
    )
    merged = dedupe(contacts)
    assert [c.contact_id for c in merged] == ["1", "3", "5", "6"]
    mom = merged[0]
    assert mom.given_name == "LINDA" and mom.signals["relationship"] == "mother"
    assert mom.emails == ["linda@example.com"] and mom.signals["merged_ids"] == ["1", "2"]
    sarah = merged[1]
    assert sarah.phones == ["+19195550802"] and sarah.emails == ["sarah@example.com"]
    assert sarah.birth_year == 1985 and sarah.signals["email_count"] == 1
    assert len(contacts) == 6  # parsing itself never merges


def test_dedupe_is_transitive():
    contacts = parse_manual(
        [
            {"name": "A One", "tel": ["919-555-0901"]},
            {"name": "B Two", "tel": ["919-555-0901", "919-555-0902"]},
            {"name": "C Three", "tel": ["919-555-0902"]},
        ]
    )
    (merged,) = dedupe(contacts)
    assert merged.signals["merged_ids"] == ["1", "2", "3"]


def test_structured_fields_holding_labels():
    vcf = "BEGIN:VCARD\nVERSION:3.0\nN:from work;Bennie;;;\nFN:Bennie from work 💕\nEND:VCARD\n"
    (bennie,) = detect_and_parse(vcf.encode())
    assert (bennie.given_name, bennie.family_name) == ("BENNIE", "")
    assert bennie.signals["labels"] == ["work"] and bennie.signals["relationship"] == "coworker"
    vcf = vcf.replace("N:from work;Bennie", "N:Fromm;Bennie")
    assert detect_and_parse(vcf.encode())[0].family_name == "FROMM"


def test_facebook_names_are_real_names():
    doc = b'{"friends_v2": [{"name": "Oma Szabo", "timestamp": 1}, {"name": "Nana Mouskouri"}]}'
    oma, nana = detect_and_parse(doc)
    assert (oma.given_name, oma.family_name, oma.signals["relationship"]) == ("OMA", "SZABO", "")
    assert nana.given_name == "NANA" and nana.signals["friends_since"] is None
