"""`python -m data_access COMMAND …`: the command line of data_access.cli."""

import sys

from data_access.cli import main

if __name__ == "__main__":
    sys.exit(main())
