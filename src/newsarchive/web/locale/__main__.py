import sys

from newsarchive.web.i18n import main

raise SystemExit(main(sys.argv[1:]))
