"""``python -m warduty.cli``."""

from warduty.cli import main

main()
