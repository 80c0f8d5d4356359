"""``python -m xlingo``: the ``xlingo`` command, for an environment whose scripts are not on PATH."""
from xlingo.cli import main

main()
