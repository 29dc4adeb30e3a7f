"""`python -m presence.bench [NAME ...]`: run the benchmarks (all by default) on the configured database."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presence.settings")
    import django

    django.setup()
    import presence.bench as package

    names = argv or sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")
    )
    if not names:
        print("no benchmarks defined")
        return 1
    for name in names:
        module = importlib.import_module(f"presence.bench.{name}")
        print(f"== {name}")
        for line in module.run():
            print(f"   {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
