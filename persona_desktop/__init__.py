"""Persona Desktop: customer segments, personas, product associations and
predictions from a small shop's own Excel/CSV exports, offline."""

import os as _os

# scikit-learn's OpenMP threads busy-wait between parallel regions by default
# (libgomp's OMP_WAIT_POLICY=active). On a 2-core laptop they then take the
# CPU from Arrow's and OpenBLAS's threads and from the GUI thread: segmenting
# Online Retail's customers took 7–12 s instead of 2 s here. Passive waiting
# must be chosen before libgomp loads, so it is set when the package is imported.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
APP_NAME = "Persona Desktop"
