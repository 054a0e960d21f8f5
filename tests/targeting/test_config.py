import pytest

from targetshare.errors import ConfigError
from targetshare.targeting.config import current_config, parse_config, save_config

EXAMPLE = """
goals: {turnout: 0.7, persuasion: 0.3}
universe:
  support: [35, 65]
  counties: [Wake, Durham]
geography_weights: {by: county, weights: {Wake: 1.0, Durham: 0.5}, default: 0.2}
asks_per_supporter: 5
max_asks_per_target: 2
holdout_share: 0.1
content: {turnout: vote-early, persuasion: why-it-matters}
"""


def test_example_parses():
    cfg = parse_config(EXAMPLE)
    assert cfg.goal_weight("turnout") == 0.7
    assert cfg.universe.support == (35, 65)
    assert cfg.geography_weights.weights == {"WAKE": 1.0, "DURHAM": 0.5}
    assert cfg.content["persuasion"] == "why-it-matters"


def test_defaults():
    cfg = parse_config("goals: {turnout: 1}")
    assert cfg.asks_per_supporter == 5 and cfg.holdout_share == 0.1


@pytest.mark.parametrize(("text", "needle"), [
    ("goals: {turnout: 1}\nuniverse: {support: [70, 30]}", "universe.support"),
    ("goals: {turnout: 1}\nuniverse: {support: [0, 170]}", "0-100"),
    ("goals: {votes: 1}", "goals"),
    ("goals: {turnout: -1}", "goal weights"),
    ("goals: {turnout: 1}\nholdout_share: 1.5", "holdout_share"),
    ("goals: {turnout: 1}\nasks_per_supporter: 0", "asks_per_supporter"),
    ("goals: {turnout: 1}\nunknown_key: 3", "unknown key"),
    ("goals: {turnout: 1}\ncontent: {persuasion: x}", "content names goal"),
    ("goals: {turnout: 1}\ngeography_weights: {by: planet}", "geography_weights.by"),
    ("goals: [turnout", "not valid YAML"),
    ("- just a list", "mapping"),
])
def test_invalid_configs_name_the_problem(text, needle):
    with pytest.raises(ConfigError) as exc:
        parse_config(text)
    assert needle.lower() in str(exc.value).lower().replace("–", "-")


def test_versions_and_salt(engine):
    assert current_config(engine, default=False) is None
    first = save_config(engine, EXAMPLE)
    same = save_config(engine, EXAMPLE)
    assert same.version == first.version
    second = save_config(engine, "goals: {turnout: 1}\n")
    assert second.version == first.version + 1
    assert second.salt == first.salt and len(first.salt) == 32
    assert current_config(engine).version == second.version


def test_invalid_config_is_not_stored(engine):
    with pytest.raises(ConfigError):
        save_config(engine, "goals: {}")
    assert current_config(engine, default=False) is None
