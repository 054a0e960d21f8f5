"""Every way an upload can be unusable raises InputFileError with a message a person can act on."""

from __future__ import annotations

import pytest
from contact_samples import GOOGLE_CSV, IPHONE_VCF

from targetshare.contacts import detect_and_parse, parse_file, parse_manual
from targetshare.errors import InputFileError


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", None, "empty"),
        (b"  \r\n\n ", "c.vcf", "empty"),
        (b"hello, this is a letter\nnot contacts", None, "not a contact file"),
        (b"just some words", "contacts.vcf", "does not contain vCard"),
        (b"PK\x03\x04\x14\x00rest-of-a-zip", "contacts.xlsx", "Excel"),
        (b"%PDF-1.7 ...", None, "PDF"),
        (b"\x81\x8d\x8f\x90\x9d,\x81", None, "cannot decode"),
        (b'{"messages": []}', "x.json", "friends"),
        (b'{"friends_v2": {"name": "x"}}', None, "not a list"),
        (b'{"friends_v2": [1]}', None, "friend 1"),
        (b'{"friends_v2": [', None, "not valid JSON"),
        (b"Phone,Email\n919-555-0101,a@b.com\n", "c.csv", "name column"),
        (b"Labels,Phone 1 - Value\n,919-555-0101\n", "c.csv", "name column"),
        (b"E-mail Address,Mobile Phone\na@b.com,919\n", "c.csv", "name column"),
    ],
)
def test_unusable_files(data, filename, message):
    with pytest.raises(InputFileError, match=message):
        detect_and_parse(data, filename)


def test_size_limit():
    with pytest.raises(InputFileError, match="limit"):
        detect_and_parse(IPHONE_VCF.encode(), max_bytes=100)
    assert detect_and_parse(GOOGLE_CSV.encode(), max_bytes=10_000)


def test_size_limit_checked_before_reading(tmp_path):
    path = tmp_path / "big.vcf"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(InputFileError, match="over the 1,000-byte limit"):
        parse_file(path, max_bytes=1000)


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="cannot read"):
        parse_file(tmp_path / "nope.vcf")


def test_vcard_missing_end_names_the_line():
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nBEGIN:VCARD\nFN:Bob\nEND:VCARD\n"
    with pytest.raises(InputFileError, match=r"line 4: .*line 1"):
        detect_and_parse(text.encode())
    with pytest.raises(InputFileError, match="line 1: vCard begun here has no END:VCARD"):
        detect_and_parse(b"BEGIN:VCARD\nVERSION:3.0\nFN:Ann\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("BEGIN:VCARD\nFN:Ann\nEND:VCARD\nEND:VCARD\n", "line 4: END:VCARD without"),
        ("BEGIN:VCARD\nFN:Ann\nEND:VCARD\nFN:Stray\n", "line 4: text outside a vCard"),
        ("BEGIN:VCARD\nFN:Ann\nthis is not a property\nEND:VCARD\n", "line 3: not a vCard property"),
    ],
)
def test_vcard_structure_errors(text, message):
    with pytest.raises(InputFileError, match=message):
        detect_and_parse(text.encode())


def test_manual_rejects_non_objects():
    with pytest.raises(InputFileError, match="contact 2"):
        parse_manual([{"name": "Ann"}, "Bob"])
    with pytest.raises(ValueError, match="source"):
        parse_manual([], source="vcard")


def test_errors_are_not_raised_for_odd_but_valid_content():
    # A vCard with no name and a junk phone still parses: per-field problems are dropped, not fatal.
    (c,) = detect_and_parse(b"BEGIN:VCARD\nVERSION:3.0\nTEL:123\nEMAIL:nope\nEND:VCARD\n")
    assert c.phones == [] and c.emails == [] and c.display_name == "nope"
