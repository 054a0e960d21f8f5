"""Voter-file import: NCSBE ``ncvoter``/``ncvhis`` and generic CSV with a YAML mapping.

>>> from targetshare.voterfile import import_voter_file, voter_stats
>>> result = import_voter_file("ncvoter.txt", history="ncvhis.txt")  # doctest: +SKIP
>>> voter_stats()["voters"]  # doctest: +SKIP
"""

from targetshare.voterfile.importer import FORMATS, ImportResult, import_voter_file
from targetshare.voterfile.stats import voter_stats

__all__ = ["FORMATS", "ImportResult", "import_voter_file", "voter_stats"]
