import numpy as np
import pytest

from targetshare.targeting.allocate import (
    SignIn,
    lazy_greedy,
    plain_greedy,
    plan_value,
    psi,
    rank_sign_in,
)


def test_psi():
    assert psi(1.0) == pytest.approx(0.0)
    assert psi(0.0) == pytest.approx(1 - np.exp(-1))
    assert psi(0.2) > psi(0.5) > psi(0.9)


def sign_in(value, q, miss=None, used=None, eligible=None):
    n = len(value)
    return SignIn(np.array(value, float), np.array(q, float),
                  np.ones(n) if miss is None else np.array(miss, float),
                  np.zeros(n) if used is None else np.array(used, float),
                  np.ones(n, bool) if eligible is None else np.array(eligible, bool))


def test_rank_picks_best_k_and_respects_eligibility_and_caps():
    c = sign_in([1, 2, 3, 4, 5], [0.5] * 5, used=[0, 0, 0, 0, 3], eligible=[1, 1, 1, 0, 1])
    idx, gain = rank_sign_in(c, 2, max_asks=3)
    assert list(idx) == [2, 1]  # 3 is ineligible, 4 is at its cap
    assert gain[0] == pytest.approx(1.5)


def test_coverage_and_saturation_discount():
    # same raw value; target 0 already half covered by another supporter
    c = sign_in([1, 1], [0.5, 0.5], miss=[0.5, 1.0])
    idx, gain = rank_sign_in(c, 1, max_asks=5)
    assert list(idx) == [1]
    c = sign_in([1, 1], [0.5, 0.5], used=[2, 0])
    idx, _ = rank_sign_in(c, 1, max_asks=3)
    assert list(idx) == [1]  # psi discounts the target whose budget is partly used


def test_zero_value_never_suggested():
    idx, _ = rank_sign_in(sign_in([0, 0, 1], [0.5] * 3), 5, max_asks=3)
    assert list(idx) == [2]


def random_instance(rng, n_sup=6, n_tgt=12, n_pairs=40):
    sup = rng.integers(0, n_sup, n_pairs)
    tgt = rng.integers(0, n_tgt, n_pairs)
    keep = np.unique(sup * 1000 + tgt, return_index=True)[1]
    return sup[keep], tgt[keep], rng.random(n_tgt), rng.uniform(0.05, 0.9, len(keep))


@pytest.mark.parametrize("seed", range(15))
def test_lazy_greedy_equals_plain_greedy(seed):
    rng = np.random.default_rng(seed)
    sup, tgt, w, q = random_instance(rng)
    for k, cap in [(1, 1), (2, 2), (3, 5)]:
        lazy = lazy_greedy(sup, tgt, w, q, k, cap)
        plain = plain_greedy(sup, tgt, w, q, k, cap)
        assert list(lazy) == list(plain)
        assert np.bincount(sup[lazy], minlength=6).max() <= k
        assert np.bincount(tgt[lazy], minlength=12).max() <= cap


def test_plan_value_is_coverage():
    tgt, w, q = np.array([0, 0, 1]), np.array([1.0, 2.0]), np.array([0.5, 0.5, 0.25])
    assert plan_value(tgt, w, q, np.array([0, 1, 2])) == pytest.approx(0.75 + 0.5)
