"""The world simulator: a synthetic North Carolina in real file formats, with hidden truth.

``simulate(out_dir, voters=..., supporters=..., seed=...)`` writes the NCSBE voter file and vote
history, supporters' contact exports (vCard, Google CSV, Facebook JSON), the vendor's scores and,
apart under ``truth/``, everything the engine must never read. ``behaviour`` holds the pure
functions that score plans and draw elections from that truth.
"""

from targetshare.sim.simulate import simulate

__all__ = ["simulate"]
