"""``python -m persona_desktop`` does what the ``persona-desktop`` command does."""

from persona_desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
