"""Every change to a complaint (M17–M20, M23): one function per action, each in one
transaction, each leaving an event on the request's timeline and the complaint's history.

- ``intake``: filing a complaint, by staff on any channel or by the customer in the portal.
- ``handling``: responding, escalating, reclassifying, the company's corrective plan,
  resolving, the answer to the customer, and closing.
- ``prevention``: the cause, the preventive measures, and the corrective action report.
- ``clocks``: the periodic job that reminds before, and escalates after, a missed deadline.
"""
