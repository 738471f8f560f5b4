"""The frozen executable's entry point: the same ``persona-desktop`` command as the installed package."""

import multiprocessing
import sys

from persona_desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # joblib/loky may start worker processes from the executable
    sys.exit(main())
