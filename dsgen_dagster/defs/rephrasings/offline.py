"""Offline composer of the `rephrasings` stage: the email said again, in other words.

Offline there is nothing to paraphrase with, so the email is composed anew from the same facts in
the same language, in the requested style (formal, casual, terse, detailed), steering away from the
source's wording: a phrase whose text, or whose fixed wording, appears in the source email is only
used when its pool has nothing else. Sentence order and paragraphing are drawn again. The order
reference rule of emails holds: quoted verbatim when there is one, no order-like token otherwise.
Honest template text, like every offline response.
"""

from __future__ import annotations

import random
from typing import Any

from dsgen_dagster.defs.emails.offline import compose_email
from dsgen_dagster.defs.rephrasings.models import REPHRASING_STYLES, RephrasedEmail


def compose(context: dict[str, Any], rng: random.Random) -> RephrasedEmail:
    email = context.get("email") or {}
    source = f"{email.get('subject', '')}\n{email.get('body', '')}"
    style = context.get("style")
    if style not in REPHRASING_STYLES:
        style = REPHRASING_STYLES[(int(context.get("variant") or 1) - 1) % len(REPHRASING_STYLES)]
    draft = compose_email(context, rng, style=style, avoid=source)
    return RephrasedEmail(subject=draft.subject, body=draft.body)
