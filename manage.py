#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as error:
        # `python manage.py` outside the project's virtual environment.
        raise SystemExit(
            f"error: {error}: run .venv/bin/python manage.py … instead (make install, or make run, creates .venv)"
        ) from None

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
