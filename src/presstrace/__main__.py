import sys

from presstrace.cli import main

sys.exit(main())
