"""Every change to follow-ups, defect watches and measures goes through these modules:
``followups`` (M13), ``defects`` (M14), ``rework`` (M15), ``measures`` (the weekly numbers)."""
