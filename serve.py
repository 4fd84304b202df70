"""Start the dashboard: `python serve.py [streamlit options]` (what `./run.sh dashboard` runs).

`pages/` beside dashboard.py is a package of render() callables listed by st.navigation,
but Streamlit still sees a folder named `pages` and starts each new server in its old
folder-of-pages mode, where the first request for a deep link (/rankings?…) finds no such
page. Streamlit decides this once per process, so it is settled here before the server
starts.
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

PagesManager.uses_pages_directory = False

if __name__ == "__main__":
    app = str(Path(__file__).resolve().parent / "dashboard.py")
    sys.argv = ["streamlit", "run", app, *sys.argv[1:]]
    sys.exit(cli.main())
