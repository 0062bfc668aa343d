"""M14: watching the result of a major-defect repair."""


def watch_open_for(*, ticket, now):
    """Open a watch when ``ticket`` repaired a major defect; otherwise do nothing."""
    return None
