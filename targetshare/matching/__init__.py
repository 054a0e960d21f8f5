"""Contact-to-voter matching: a Splink-trained Fellegi–Sunter model and a real-time matcher.

See ``docs/matching.md``.
"""

from targetshare.matching.learn import labels_from_store, model_path, retrain_from_store
from targetshare.matching.matcher import Matcher, load_voters, voter_file_version
from targetshare.matching.model import MatchModel, retrain_with_labels, train_model

__all__ = ["Matcher", "MatchModel", "labels_from_store", "load_voters", "model_path",
           "retrain_from_store", "retrain_with_labels", "train_model", "voter_file_version"]
