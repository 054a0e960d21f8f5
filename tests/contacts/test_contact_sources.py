"""Each export format, parsed end to end through the public API."""

from __future__ import annotations

import json

import pytest
from contact_samples import (
    ANDROID_VCF,
    FACEBOOK_JSON,
    GOOGLE_CSV,
    GOOGLE_LEGACY_CSV,
    IPHONE_VCF,
    OUTLOOK_CSV,
    VCARD4,
)

from targetshare.contacts import Contact, detect_and_parse, parse_file, parse_manual


def test_iphone_vcard():
    sarah, mom, dave = detect_and_parse(IPHONE_VCF.encode(), "contacts.vcf")
    assert isinstance(sarah, Contact)
    assert (sarah.contact_id, sarah.source) == ("1", "vcard")
    assert sarah.display_name == "Dr. Sarah J. Lee"
    assert (sarah.given_name, sarah.middle_name, sarah.family_name) == ("SARAH", "J", "LEE")
    assert sarah.nickname == "SALLY" and sarah.signals["has_nickname"]
    assert sarah.phones == ["+19195550101", "+19195550102"]  # pref first, duplicate dropped
    assert sarah.emails == ["sarah.lee@example.com"]
    assert (sarah.city, sarah.state, sarah.zip) == ("RALEIGH", "NC", "27601")
    assert (sarah.birthday, sarah.birth_year) == ("1985-04-12", 1985)
    assert sarah.signals["organization"] == "Wake County Schools"
    assert sarah.signals["related"] == [{"relation": "mother", "name": "Mom"}]
    assert (sarah.signals["phone_count"], sarah.signals["email_count"]) == (2, 1)

    assert mom.given_name == "" and mom.display_name == "Mom"
    assert mom.signals["relationship"] == "mother"
    assert (mom.birthday, mom.birth_year) == ("--06-02", None)

    assert dave.given_name == "DAVE" and dave.family_name == ""
    assert dave.signals["labels"] == ["work"]
    assert dave.signals["relationship"] == "coworker"
    assert dave.phones == ["+19195550104"]  # "12" is not a phone number


def test_android_vcard_quoted_printable():
    jose, jen = detect_and_parse(ANDROID_VCF.encode())
    assert jose.display_name == "José Núñez 🎉"
    assert (jose.given_name, jose.family_name) == ("JOSE", "NUNEZ")
    assert jose.phones == ["+19195550201"]
    assert jose.nickname == "PEPE"
    assert jose.signals["related"][0]["relation"] == "spouse"
    assert jose.birthday == "1970-01-01"
    assert jen.given_name == "JEN" and jen.signals["labels"] == ["church"]
    assert jen.signals["starred"] is True
    assert jen.birthday == "--04-12"


def test_vcard4_and_related_names():
    (maria,) = detect_and_parse(VCARD4.encode(), "x.vcf")
    assert (maria.given_name, maria.family_name) == ("MARIA", "DE LA CRUZ")
    assert maria.phones == ["+19195550301"]
    assert maria.signals["related"] == [{"relation": "spouse", "name": "Juan de la Cruz"}]
    assert maria.birthday == "--04-12"


def test_me_card_relations_mark_the_related_contact():
    me = IPHONE_VCF.replace("item3.X-ABRELATEDNAMES:Mom", "item3.X-ABRELATEDNAMES:Dave work")
    contacts = detect_and_parse(me.encode())
    assert contacts[2].signals["relationship"] == "coworker"  # own label wins
    me = IPHONE_VCF.replace("FN:Mom", "FN:Linda Lee").replace("N:;Mom;;;", "N:Lee;Linda;;;")
    me = me.replace("X-ABRELATEDNAMES:Mom", "X-ABRELATEDNAMES:Linda Lee")
    assert detect_and_parse(me.encode())[1].signals["relationship"] == "mother"


def test_google_csv_current():
    contacts = detect_and_parse(GOOGLE_CSV.encode(), "contacts.csv")
    assert len(contacts) == 2  # the blank row is skipped
    sean, carol = contacts
    assert sean.source == "google_csv" and sean.contact_id == "1"
    assert (sean.given_name, sean.family_name) == ("SEAN", "O'NEIL")
    assert sean.phones == ["+19195550401", "+19195550402"]
    assert sean.emails == ["sean@example.com", "sean.oneil@work.example.com"]
    assert (sean.city, sean.state, sean.zip) == ("DURHAM", "NC", "27701")
    assert sean.signals["starred"] is True
    assert sean.signals["labels"] == ["soccer"]
    assert sean.signals["related"] == [{"relation": "spouse", "name": "Kate O'Neil"}]
    assert sean.birth_year == 1990
    assert (carol.given_name, carol.signals["relationship"]) == ("CAROL", "aunt_uncle")
    assert carol.birthday == "--12-25" and not carol.signals["starred"]


def test_google_csv_legacy():
    mike, sarah = detect_and_parse(GOOGLE_LEGACY_CSV.encode())
    assert mike.display_name == "Mike (neighbor)"
    assert mike.given_name == "MIKE" and mike.signals["relationship"] == "neighbor"
    assert mike.signals["starred"] is True
    assert mike.emails == ["mike@example.net"]
    assert (sarah.given_name, sarah.family_name) == ("SARAH", "LEE")
    assert sarah.birthday == "1985-04-12"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_outlook_csv(encoding):
    text = OUTLOOK_CSV if encoding == "utf-8" else OUTLOOK_CSV.lstrip("\ufeff").replace(" 🎉", "")
    renee, bob = detect_and_parse(text.encode(encoding), "outlook.csv")
    assert renee.source == "outlook_csv"
    assert renee.display_name == "Renée Côté"
    assert (renee.given_name, renee.family_name) == ("RENEE", "COTE")
    assert renee.phones == ["+19195550602", "+19195550601"]  # mobile first
    assert (renee.city, renee.state, renee.zip) == ("CARY", "NC", "27511")
    assert renee.birthday == "1985-04-12"
    assert renee.signals["starred"] and renee.signals["labels"] == ["church"]
    assert bob.given_name == "BOB" and bob.birthday == ""


def test_outlook_utf16():
    (renee, bob) = detect_and_parse(OUTLOOK_CSV.encode("utf-16"))
    assert bob.display_name == "Bob 🎉" and renee.family_name == "COTE"


def test_facebook_json_mojibake():
    renee, bob, zoe = detect_and_parse(FACEBOOK_JSON.encode(), "your_friends.json")
    assert renee.display_name == "Renée Côté"
    assert (renee.given_name, renee.family_name) == ("RENEE", "COTE")
    assert renee.signals["friends_since"] == 1500000000
    assert renee.phones == [] and renee.source == "facebook_json"
    assert bob.contact_id == "2" and bob.family_name == "SMITH"
    assert zoe.display_name == "Zoë Plain"  # not mojibake: left as is


def test_facebook_legacy_key():
    doc = {"friends": [{"name": "Ann Bee", "timestamp": 1}]}
    (ann,) = detect_and_parse(json.dumps(doc).encode())
    assert ann.given_name == "ANN"


def test_parse_file(tmp_path):
    path = tmp_path / "c.vcf"
    path.write_bytes(IPHONE_VCF.encode())
    assert [c.contact_id for c in parse_file(path)] == ["1", "2", "3"]


def test_manual_and_picker():
    picked = parse_manual(
        [
            {"name": ["Aunt Carol"], "tel": ["919-555-0701", "(919) 555-0701"], "email": []},
            {"name": ["Lee, Sarah"], "tel": [], "email": ["S@Example.com"],
             "address": [{"city": "Raleigh", "region": "NC", "postalCode": "27601"}]},
        ],
        source="picker",
    )
    assert [c.source for c in picked] == ["picker", "picker"]
    assert picked[0].phones == ["+19195550701"]
    assert picked[1].family_name == "LEE" and picked[1].emails == ["s@example.com"]
    assert picked[1].city == "RALEIGH"
    (typed,) = parse_manual([{"name": "Jen from church", "tel": "9195550702", "state": "nc"}])
    assert typed.source == "manual" and typed.signals["labels"] == ["church"]
    assert typed.state == "NC" and typed.contact_id == "1"


def test_to_dict_is_a_copy_and_json_ready():
    (contact,) = parse_manual([{"name": "Bob 🎉", "tel": ["9195550703"]}])
    d = contact.to_dict()
    d["phones"].append("x")
    d["signals"]["labels"].append("x")
    assert contact.phones == ["+19195550703"] and contact.signals["labels"] == []
    assert json.loads(json.dumps(d))["display_name"] == "Bob 🎉"
    assert set(d) == {
        "contact_id", "source", "display_name", "given_name", "middle_name", "family_name",
        "nickname", "phones", "emails", "city", "state", "zip", "birthday", "birth_year", "signals",
    }
