"""Numbered lists number themselves: a step typed as "1. 上门查看" shows in an ``<ol>`` as
"1. 1. 上门查看". ``unnumbered`` takes such a number off the front of a step's text (``1.``,
``1、``, ``(1)``, ``①``, ``第1步``…), for showing the steps already stored; the catalogue strips
it when a step is saved (``strip_number``).

``{% load steps %}`` then ``{{ step.title|unnumbered }}``.
"""

import re

from django import template

register = template.Library()

_DIGITS = r"[0-9０-９]+|[一二三四五六七八九十]+"
_NUMBER = re.compile(
    rf"""^\s*(?:
        第\s*(?:{_DIGITS})\s*(?:[步项条]\s*[.．、:：)）]?|[.．、:：)）])  # 第1步 第一、 (not 第一次)
      | [(（]\s*(?:{_DIGITS})\s*[)）]                     # (1) （一）
      | [①-⑳]                                           # ①
      | (?:{_DIGITS})\s*(?:[.．](?![0-9０-９])|[、)）:：])  # 1. 1、 1) 一、 — not 1.5米
      | (?:step|Step|STEP)\s*[0-9]+\s*[.:)]?               # Step 1:
    )\s*""",
    re.VERBOSE,
)


def strip_number(text: str) -> str:
    """``text`` without a list number in front; unchanged when that would leave nothing."""
    rest = _NUMBER.sub("", text or "", count=1)
    return rest if rest.strip() else (text or "")


@register.filter
def unnumbered(text) -> str:
    return strip_number(str(text or ""))
