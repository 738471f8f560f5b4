"""Open a file and understand it: read → roles → kind → cleaning → customers.

This is what ``persona-desktop inspect`` prints and what the GUI's load job
runs. Each stage is a plain function in its own module; this module only
strings them together and reports progress.
"""
# Contract (filled in by the foundation work):
#   inspect_file(path, *, sheet=None, encoding=None, dayfirst=None, roles=None,
#                clean_options=None, progress=NULL_PROGRESS) -> Inspection
#   Inspection(table: LoadedTable, roles: dict[str, Role], kind: TableKind,
#              cleaning: CleanResult, customers: CustomerTable | None)
#   inspection_to_json(inspection, lang) -> dict
