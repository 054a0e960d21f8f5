"""Sharing: signed personal links, channel deep links, message templates, demo content."""

from targetshare.sharing.channels import channel_links
from targetshare.sharing.content import seed_demo_content
from targetshare.sharing.links import new_share_token, share_token_valid
from targetshare.sharing.messages import render_message

__all__ = ["channel_links", "new_share_token", "render_message", "seed_demo_content", "share_token_valid"]
