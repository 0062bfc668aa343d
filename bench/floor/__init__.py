"""The framework floor of ``bench.intake``: a bare Django + DRF app that validates a request of
the width of propdesk's and inserts it as one row, behind token authentication. Its own settings
(``bench.floor.settings``) and its own database; nothing of propdesk is imported."""
