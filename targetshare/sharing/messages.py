"""Message templates: the campaign writes them, the supporter may edit before sending.

Placeholders ``{friend}`` (the friend's first name as the supporter knows them), ``{supporter}``
(the supporter's name) and ``{link}`` (the personal link) are filled in; any other brace text is
left as written, so a campaign's template can never raise or reach other data.
"""

from __future__ import annotations

import re

__all__ = ["render_message", "first_name"]

_PLACEHOLDER = re.compile(r"\{(friend|supporter|link)\}")


def first_name(display_name: str) -> str:
    words = (display_name or "").split()
    return words[0] if words else "there"


def render_message(template: str, friend: str, supporter: str, link: str) -> str:
    values = {"friend": first_name(friend), "supporter": supporter or "", "link": link}
    text = _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
    if link not in text:
        text = f"{text.rstrip()} {link}"
    return text.strip()
