import sys

from sync.server.run import main

sys.exit(main())
