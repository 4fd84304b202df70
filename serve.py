"""Start the dashboard: `python serve.py [streamlit options]` (what `./run.sh dashboard` runs).

Then open http://localhost:8501/ (Overview) or any page's address with the view in its
parameters, e.g. http://localhost:8501/rankings?period=2025Q3&lang=English (README, "Pages
and addresses").

Why not `streamlit run dashboard.py`: the `pages/` package beside dashboard.py is a folder
named `pages`, so Streamlit starts each new server in its old folder-of-pages mode, where the
first request runs Streamlit's own navigation of the files in pages/ before dashboard.py's:
an address that is no file there (/rankings?…) gets a "Page not found" dialog over the right
page, and one that is a file would run that file instead of dashboard.py (no sidebar, no
view; no address is one: page modules live in pages/screens/). Streamlit settles the mode
once per process, on a class attribute that `st.navigation` itself sets to False; no setting
or public call does it before the first request. So it is set here, before the server
starts: the one use of Streamlit's private API in this project, checked against Streamlit
CHECKED_WITH (tests/test_addresses.py fails on another version).
"""

import os
import sys
from pathlib import Path

CHECKED_WITH = "1.67.0"
# Addresses only this machine reaches: the one place `open` mode (no sign-in) may listen.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ServeError(Exception):
    """The dashboard must not start as asked; the message says what to change."""


def _option(argv: list[str], name: str) -> str | None:
    """The value of `--name value` or `--name=value` in Streamlit's arguments, else its
    environment variable (STREAMLIT_SERVER_ADDRESS for server.address)."""
    flag = f"--{name}"
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return os.environ.get("STREAMLIT_" + name.replace(".", "_").upper()) or None


def server_options(argv: list[str], settings=None) -> list[str]:
    """The options added to Streamlit's for the `[auth]` mode and the upload limit.

    open: no sign-in, so the server listens on 127.0.0.1 only and refuses another address.
    accounts: refuses to start while no user exists (nobody could sign in). oidc: refuses
    without the provider's client in .streamlit/secrets.toml. The upload limit of
    dashboard.toml becomes server.maxUploadSize, which the server itself enforces on every
    upload request (the page's own check is only the browser's)."""
    from metrics.settings import load_settings
    settings = settings or load_settings()
    mode = settings.auth.mode
    address = _option(argv, "server.address")
    extra: list[str] = []
    if mode == "open":
        if address is not None and address not in LOOPBACK:
            raise ServeError(
                f'serve.py: [auth] mode = "open" has no sign-in, so the dashboard listens on 127.0.0.1 only; '
                f'to serve it on {address}, set mode = "accounts" or "oidc" under [auth] in dashboard.toml '
                f'(docs/security.md)')
        if address is None:
            extra += ["--server.address", "127.0.0.1"]
    elif mode == "accounts":
        from metrics.audit import access_path, open_access
        from metrics.auth import has_users
        con = open_access(settings.db_path)
        try:
            if not has_users(con):
                raise ServeError(
                    f'serve.py: [auth] mode = "accounts" but {access_path(settings.db_path)} holds no user: add one '
                    f'with `python -m metrics users add NAME --role admin`, then start again')
        finally:
            con.close()
    else:
        # Streamlit's own secrets file, or the one `--secrets.files` names instead.
        secrets = Path(_option(argv, "secrets.files") or Path(__file__).resolve().parent / ".streamlit" / "secrets.toml")
        if not _has_oidc_client(secrets):
            raise ServeError(
                f'serve.py: [auth] mode = "oidc" needs the identity provider\'s client under [auth] in {secrets} '
                f'(redirect_uri, cookie_secret, client_id, client_secret, server_metadata_url; docs/security.md)')
    if _option(argv, "server.maxUploadSize") is None:
        extra += ["--server.maxUploadSize", str(settings.upload_limit_mb)]
    return extra


def _has_oidc_client(secrets: Path) -> bool:
    import tomllib
    if not secrets.is_file():
        return False
    with secrets.open("rb") as fh:
        auth = tomllib.load(fh).get("auth", {})
    needed = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
    return all(auth.get(k) for k in needed)


def end_folder_of_pages_mode() -> None:
    """What `st.navigation` does on its first call, done before the first request."""
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False


def main() -> int:
    argv = sys.argv[1:]
    try:
        extra = server_options(argv)
    except ServeError as e:
        print(e, file=sys.stderr)
        return 2
    from streamlit.web import cli
    end_folder_of_pages_mode()
    app = str(Path(__file__).resolve().parent / "dashboard.py")
    sys.argv = ["streamlit", "run", app, *extra, *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
