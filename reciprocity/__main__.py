import sys

from reciprocity.cli import main

sys.exit(main())
