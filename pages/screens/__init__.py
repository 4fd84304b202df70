"""The dashboard's pages, one module each, layout only: each `render()` reads the view
(`pages.view`) and lays out what `pages.queries` returns.

They live in this sub-package, not in `pages/` itself, because Streamlit's old
folder-of-pages mode (see serve.py) treats every `pages/*.py` file as a page whose address
is its file name: a page module there named like its own address would be run instead of
dashboard.py.
"""
