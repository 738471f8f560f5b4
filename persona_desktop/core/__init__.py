"""The analysis engine of Persona Desktop.

Nothing in this package imports Qt (``tests/test_layering.py`` proves it), so
everything here can be used from scripts, the command line and tests. Heavy
libraries (scikit-learn, mlxtend, matplotlib) are imported inside the functions
that need them, so importing the core stays cheap for the GUI's start-up.
"""
