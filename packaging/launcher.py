"""Entry script of the frozen application (PyInstaller needs a file, not an entry point).

Does exactly what the ``tsa-desktop`` console script does, except for ``--bundle-check`` alone,
which build.py's smoke test uses to exercise the bundled libraries (packaging/bundle_check.py).
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:] == ["--bundle-check"]:
        from bundle_check import main as check

        sys.exit(check())
    from tsa_desktop.app import main

    sys.exit(main())
