"""M13: the weekly follow-up sample and the follow-up calls."""
