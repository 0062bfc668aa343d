"""Reading ids and numbers from query strings and headers without surprises."""

MAX_ID = 2**63 - 1  # the largest value of a bigint primary key


def parse_id(value) -> int | None:
    """A positive database id from text, or None for anything else (blank, "abc", "²", 10**30)."""
    text = str(value if value is not None else "").strip()
    if not text or not text.isascii() or not text.isdecimal():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
