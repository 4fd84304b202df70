"""Start the dashboard: `python serve.py [streamlit options]` (what `./run.sh dashboard` runs).

Then open http://localhost:8501/ (Overview) or any page's address with the view in its
parameters, e.g. http://localhost:8501/rankings?period=2025Q3&lang=English (README, "Pages
and addresses").

Why not `streamlit run dashboard.py`: the `pages/` package beside dashboard.py is a folder
named `pages`, so Streamlit starts each new server in its old folder-of-pages mode, where the
first request for a page's address (/rankings?…) runs the file pages/rankings.py instead of
dashboard.py (no sidebar, no view), or shows "Page not found" for an address that is no
file. Streamlit settles the mode once per process, on a class attribute that `st.navigation`
itself sets to False; no setting or public call does it before the first request. So it is
set here, before the server starts: the one use of Streamlit's private API in this project,
checked against Streamlit CHECKED_WITH (tests/test_app_addresses.py fails on another version).
"""

import sys
from pathlib import Path

CHECKED_WITH = "1.67.0"


def end_folder_of_pages_mode() -> None:
    """What `st.navigation` does on its first call, done before the first request."""
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False


def main() -> int:
    from streamlit.web import cli
    end_folder_of_pages_mode()
    app = str(Path(__file__).resolve().parent / "dashboard.py")
    sys.argv = ["streamlit", "run", app, *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
