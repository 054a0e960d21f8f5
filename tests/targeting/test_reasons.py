import itertools

from targetshare.targeting.reasons import FORBIDDEN_WORDS, reason_for


def test_reason_wording():
    voter = {"county": "WAKE", "city": "RALEIGH", "party": "DEM"}
    me = {"city": "RALEIGH"}
    assert reason_for(voter, me, 2, 4, False) == "Lives in Wake County · votes in most elections · you both live in Raleigh"
    assert reason_for(voter, None, 1, 4, False) == "Lives in Wake County · votes in some elections"
    assert "share a home" in reason_for(voter, me, 4, 4, True)
    assert reason_for(None, None, 0, 0, False)


def test_reasons_never_mention_scores_or_party():
    voters = [{"county": c, "city": "DURHAM", "party": p, "support": 0.9}
              for c, p in itertools.product(["WAKE", "NEW HANOVER", None], ["DEM", "REP", "UNA"])]
    for voter, me, voted, hh in itertools.product(voters, [None, {"city": "DURHAM"}], range(5), [True, False]):
        text = reason_for(voter, me, voted, 4, hh).lower()
        assert not any(w in text for w in FORBIDDEN_WORDS), text
        assert not any(ch.isdigit() for ch in text), text
