"""targetshare: targeted sharing for campaigns.

Match a supporter's contacts to the voter file, suggest the five friends where their ask
is worth the most, let them send from their own phone, and measure what the asks caused
against a randomized holdout.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
