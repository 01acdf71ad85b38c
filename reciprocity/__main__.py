import sys

from reciprocity.cli import main

if __name__ == "__main__":  # `python -m reciprocity`; importing the module runs nothing
    sys.exit(main())
