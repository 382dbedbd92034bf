"""`python -m eval [options]`: the same as `policy-advisor eval [options]`."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.argv = ["policy-advisor", "eval", *sys.argv[1:]]
    main()
