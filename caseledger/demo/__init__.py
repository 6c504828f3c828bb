"""The demo data set, built through the real commands (``caseledger demo``)."""
