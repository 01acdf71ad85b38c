"""`python -m reciprocity.config.probe [URL]`: exit 0 when /healthz answers 200, else 1 (a container's
health check; it needs neither Django nor curl)."""

import os
import sys
import urllib.error
import urllib.request


def main(argv: list[str]) -> int:
    url = argv[0] if argv else f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a URL the operator gives
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"reciprocity probe: {url}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
