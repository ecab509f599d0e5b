"""The ``tiro`` command line: thin shells over services."""
