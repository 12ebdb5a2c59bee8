"""`python -m smartcity_shared.topics`: create the contract topics (and `.dlq`) if missing."""

from __future__ import annotations

import sys

from .kafka_io import ensure_topics
from .settings import Settings


def main() -> int:
    created = ensure_topics(Settings.from_env("topics"))
    print(f"topics created: {', '.join(created) if created else 'none (all present)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
