"""SLA adapters, one module per job: ``clocks`` (a save), ``review`` (batch reviews), ``sweep``,
``recompute`` and ``notify``."""
