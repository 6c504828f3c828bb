"""Synthetic national-scale data, calibrated to published figures, with switchable planted
problems for testing the analytics.

Modules: ``calibration`` (targets and assumptions, each with its source), ``geography``
(synthetic regions, agencies and officials), ``plants`` (the planted problems), ``sentences``
(guideline months; hook for the sentencing engine), ``lifecycle`` (one record per defendant,
drawn as columns), ``tables`` (records to warehouse rows and events), ``generator``
(chunks, determinism, progress), ``acts`` and ``ledger`` (the same records through the real
service commands into the ledger, ``synth --ledger``) and ``commands`` (the CLI).

Must never: touch the OLTP database or the ledger except through the service commands
(``acts``), or present its numbers as real statistics.
"""
