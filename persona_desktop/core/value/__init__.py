"""Customer value: who is still a customer, how many orders each will place, what an order of theirs is
worth and what each is worth over the coming months — the probabilistic customer-base models (BG/NBD,
Pareto/NBD, Gamma-Gamma) on the purchases of an opened order export.

``summary`` (purchases → x, t_x, T, m per customer), ``fitting`` (log-scale maximum likelihood),
``bgnbd``, ``paretonbd``, ``gammagamma``, ``models`` (which purchase model a file gets), ``clv``
(discounted value over months), ``backtest`` (calibration/holdout check) and ``run`` (value for an
opened file). It imports from ``table/`` and below only.
"""
