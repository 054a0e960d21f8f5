import numpy as np
import pytest

from targetshare.targeting.config import parse_config
from targetshare.targeting.value import geography_weight, target_values


def test_turnout_value_formula():
    cfg = parse_config("goals: {turnout: 1}\nturnout_effect: 0.1")
    v = target_values(cfg, np.array([0.9, 0.5, 0.2, 0.9]), np.array([0.5, 0.5, 0.5, 0.95]), np.full(4, np.nan))
    assert v.value[0] == pytest.approx(0.1 * 1.0 * 0.8)  # 4·0.5·0.5 = 1, 2·0.9−1 = 0.8
    assert v.value[1] == 0.0  # a coin-flip supporter nets nothing
    assert v.value[2] == 0.0  # mobilising the other side is never positive
    assert v.value[3] == pytest.approx(0.1 * 4 * 0.95 * 0.05 * 0.8)  # always-voters gain little
    assert v.value[0] > v.value[3]


def test_persuasion_value_and_goal():
    cfg = parse_config("goals: {turnout: 0.5, persuasion: 0.5}\npersuasion_effect: 0.05")
    v = target_values(cfg, np.array([0.5, 0.8]), np.array([0.8, 0.5]), np.array([1.0, 0.0]))
    assert v.value[0] == pytest.approx(0.5 * 0.05 * 1.0 * 0.8 * 2)
    assert list(v.goal) == ["persuasion", "turnout"]


def test_geography_weights():
    cfg = parse_config("goals: {turnout: 1}\ngeography_weights: {weights: {Wake: 1, Durham: 0.5}, default: 0.1}")
    assert list(geography_weight(cfg, ["WAKE", "durham", "Orange", None])) == [1, 0.5, 0.1, 0.1]
    v = target_values(cfg, np.full(2, 0.9), np.full(2, 0.5), np.full(2, np.nan), np.array([1.0, 0.5]))
    assert v.value[1] == pytest.approx(v.value[0] / 2)


def test_conversion_shape_favours_low_propensity():
    cfg = parse_config("goals: {turnout: 1}\nturnout_uplift: conversion")
    v = target_values(cfg, np.full(3, 0.9), np.array([0.1, 0.5, 0.9]), np.full(3, np.nan))
    assert v.value[0] > v.value[1] > v.value[2]
    assert v.value[1] == pytest.approx(0.083 * 0.8)
