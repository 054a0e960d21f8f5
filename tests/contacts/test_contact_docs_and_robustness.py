"""Docs stay honest, and no input makes a parser fail with anything but InputFileError."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from contact_samples import ANDROID_VCF, FACEBOOK_JSON, GOOGLE_CSV, IPHONE_VCF, OUTLOOK_CSV

from targetshare.contacts import __all__ as public
from targetshare.contacts import detect_and_parse
from targetshare.contacts.names import RELATIONSHIPS
from targetshare.contacts.record import SOURCES, empty_signals
from targetshare.errors import InputFileError

DOC = (Path(__file__).resolve().parents[2] / "docs" / "contacts.md").read_text(encoding="utf-8")


def test_every_signal_source_relationship_and_api_name_is_documented():
    for name in [*empty_signals(), *SOURCES, *RELATIONSHIPS, *public]:
        assert f"`{name}`" in DOC, name


def test_photo_and_folded_base64_are_skipped():
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n AAAAAAAAAAAAAAAAAAAA\r\n ZZZZ==\r\n"
    text = IPHONE_VCF.replace("BDAY:1985-04-12\r\n", "BDAY:1985-04-12\r\n" + photo, 1)
    assert detect_and_parse(text.encode())[0].birth_year == 1985


@pytest.mark.parametrize("sample", [IPHONE_VCF, ANDROID_VCF, GOOGLE_CSV, OUTLOOK_CSV, FACEBOOK_JSON])
def test_mangled_files_fail_cleanly(sample):
    rng = random.Random(sample[:20])
    data = sample.encode("utf-8")
    for _ in range(150):
        mangled = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            op = rng.random()
            if not mangled:
                break
            pos = rng.randrange(len(mangled))
            if op < 0.4:
                del mangled[pos : pos + rng.randint(1, 40)]
            elif op < 0.8:
                mangled[pos] = rng.randrange(256)
            else:
                mangled = mangled[:pos]
        try:
            detect_and_parse(bytes(mangled))
        except InputFileError:
            pass
