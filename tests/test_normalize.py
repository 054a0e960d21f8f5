from datetime import date

import pytest

from targetshare.normalize import (
    clean_city,
    clean_email,
    clean_name,
    clean_state,
    clean_street,
    clean_zip,
    parse_date,
    phone_e164,
)


@pytest.mark.parametrize(
    "raw, expected",
    [("  José  o'Neil 🎉", "JOSE O'NEIL"), ("PEÑA", "PENA"), ("Mary-Kate", "MARY-KATE"), ("", ""), (None, ""), ("J.", "J"), ("O’Brien", "O'BRIEN")],
)
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("(919) 460-2231", "+19194602231"), ("919.460.2231", "+19194602231"), ("+1 919 460 2231", "+19194602231"), ("12345", ""), ("", ""), ("call me", "")],
)
def test_phone_e164(raw, expected):
    assert phone_e164(raw) == expected


def test_small_cleaners():
    assert clean_zip("27601-1234") == "27601"
    assert clean_zip("2760") == "02760"
    assert clean_zip("abc") == ""
    assert clean_email(" Ana@Example.ORG ") == "ana@example.org"
    assert clean_email("not-an-email") == ""
    assert clean_city("Winston-Salem") == "WINSTON SALEM"
    assert clean_state("nc") == "NC"
    assert clean_state("XX") == ""
    assert clean_street("123 North Main Street") == "123 N MAIN ST"


def test_parse_date_formats():
    assert parse_date("11/03/2020") == date(2020, 11, 3)
    assert parse_date("2020-11-03") == date(2020, 11, 3)
    assert parse_date("13/45/2020") is None
    assert parse_date("") is None


def test_phone_fast_path_agrees_with_phonenumbers_parse():
    import random

    from targetshare.normalize import _parse_e164

    rng = random.Random(7)
    formats = ["{a}{b}{c}", "({a}) {b}-{c}", "1-{a}-{b}-{c}", "+1 {a} {b} {c}", "{a}.{b}.{c}", "+44 {a}{b}", "{b}-{c}"]
    for _ in range(3000):
        d = f"{rng.randint(100, 999)}{rng.randint(0, 9_999_999):07d}"
        text = rng.choice(formats).format(a=d[:3], b=d[3:6], c=d[6:])
        assert phone_e164(text) == _parse_e164(text, "US"), text
