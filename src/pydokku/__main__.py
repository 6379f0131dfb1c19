import sys

from pydokku.cli import main

sys.exit(main())
