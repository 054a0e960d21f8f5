"""Targeting: target value, tie strength, allocation with diminishing returns, holdouts, reasons.

The web app calls ``suggest_for_supporter`` at sign-in and ``record_outcome`` when a supporter
sends or skips; see docs/targeting.md.
"""

from targetshare.targeting.suggest import record_outcome, suggest_for_supporter

__all__ = ["suggest_for_supporter", "record_outcome"]
