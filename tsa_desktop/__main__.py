"""``python -m tsa_desktop``: the same as the ``tsa-desktop`` command."""

import sys

from tsa_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
